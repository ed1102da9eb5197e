import { describe, expect, it } from 'vitest';
import type { CoverageState } from '../team/stages';
import { mediatorsOf, TOWN_PLACE } from './ladder';
import { mediatorPosts, type PostSources, type PostStaff, postsHeldBy } from './posts';

const grids = [
  { gridId: 'g1', communityId: 'c1' },
  { gridId: 'g2', communityId: 'c1' },
  { gridId: 'g3', communityId: 'c2' },
];
const coverage: CoverageState[] = [
  {
    communityId: 'c1',
    holders: {
      k1: { name: '甲', gridIds: ['g1'], postIds: ['mediator', 'security_info'] },
      k2: { name: '乙', gridIds: ['g1', 'g2'], postIds: ['sanitation'] },
      k3: { name: '丙', gridIds: ['g2'], postIds: ['mediator'] },
    },
    responsible: {},
  },
  { communityId: 'c2', holders: { k4: { name: '丁', gridIds: ['g3'], postIds: ['mediator'] } }, responsible: {} },
];
const staff: PostStaff[] = [
  { username: 't.admin', role: 'town_admin' },
  { username: 't.admin2', role: 'town_admin', status: 'disabled' },
  { username: 't.station1', role: 'community_staff', communityIds: ['c1'] },
  { username: 't.station2', role: 'community_staff', communityIds: ['c2'] },
  { username: 't.grid1', role: 'grid_coordinator', communityIds: ['c1'] },
  { username: 't.grid3', role: 'grid_coordinator', communityIds: ['c2'], status: 'disabled' },
];
const base: PostSources = {
  grids,
  communities: ['c1', 'c2'],
  coverage,
  // k3 has no sign-in: an appointment without a username holds the post on paper only.
  accounts: { k1: 't.grid1', k2: 't.grid2', k4: 't.grid3' },
  staff,
};
const place = (gridId: string) => ({ gridId, communityId: grids.find((g) => g.gridId === gridId)?.communityId ?? '' });

describe('the mediation posts read from the team and the staff', () => {
  it('makes the coordinators covering a grid with the mediator post its courtyard mediators, if they sign in and are enabled', () => {
    const posts = mediatorPosts(base);
    expect(mediatorsOf(posts, 'courtyard', place('g1'))).toEqual(['t.grid1']);
    // g2: k2 has no mediator post, k3 no sign-in; g3: k4's account is disabled.
    expect(mediatorsOf(posts, 'courtyard', place('g2'))).toEqual([]);
    expect(mediatorsOf(posts, 'courtyard', place('g3'))).toEqual([]);
    expect(posts.some((p) => p.usernames.length === 0)).toBe(false);
  });

  it('gives a community its mediators, else its station; the town its mediation centre, else its admins', () => {
    let posts = mediatorPosts(base);
    expect(mediatorsOf(posts, 'community', place('g1'))).toEqual(['t.station1']);
    expect(mediatorsOf(posts, 'town', place('g1'))).toEqual(['t.admin']);
    posts = mediatorPosts({
      ...base,
      staff: [
        ...staff,
        { username: 't.med-c1', role: 'mediator', communityIds: ['c1'] },
        { username: 't.centre', role: 'mediator' },
        { username: 't.centre-off', role: 'mediator', status: 'disabled' },
      ],
    });
    expect(mediatorsOf(posts, 'community', place('g1'))).toEqual(['t.med-c1']);
    expect(mediatorsOf(posts, 'community', place('g3'))).toEqual(['t.station2']);
    expect(mediatorsOf(posts, 'town', place('g3'))).toEqual(['t.centre']);
    expect(postsHeldBy(posts, 't.centre')).toEqual([{ level: 'town', place: TOWN_PLACE, usernames: ['t.centre'] }]);
  });

  it('holds nothing where nobody is: no grids, no communities, no staff', () => {
    expect(mediatorPosts({ grids: [], communities: [], coverage: [], accounts: {}, staff: [] })).toEqual([]);
    // A community with neither mediator nor station has no community post.
    const posts = mediatorPosts({ ...base, communities: ['c9'] });
    expect(posts.filter((p) => p.level === 'community')).toEqual([]);
  });

  it('lists each holder once, in a stable order', () => {
    const again: CoverageState = {
      communityId: 'c1',
      holders: { k1: { name: '甲', gridIds: ['g1'], postIds: ['mediator'] }, k5: { name: '戊', gridIds: ['g1'], postIds: ['mediator'] } },
      responsible: {},
    };
    const posts = mediatorPosts({ ...base, coverage: [...coverage, again], accounts: { ...base.accounts, k5: 't.grid0' } });
    expect(mediatorsOf(posts, 'courtyard', place('g1'))).toEqual(['t.grid0', 't.grid1']);
  });
});
