import type { TownRole } from '../rules';
import type { CoverageState } from '../team/stages';
import { type MediatorPost, TOWN_PLACE } from './ladder';

/*
 * Who holds the mediation posts of a town (调解员岗位), read from the team and the staff (decision 162):
 * - courtyard, at a grid: the appointed coordinators covering the grid whose posts include the people's
 *   mediator (人民调解员, post id `mediator`) and who sign in (their appointment names a username);
 * - community, at a community: the active staff of role `mediator` whose communities include it, else the
 *   community's own active staff (role `community_staff`);
 * - town, at `TOWN` (the town's mediation centre): the active staff of role `mediator` with no community,
 *   else the town's active admins.
 * A place nobody holds has no post, so intake and escalation there are refused (`mediation.no_mediator`).
 */

/** The post of the team's catalogue that makes a coordinator the courtyard's mediator. */
export const MEDIATOR_POST_ID = 'mediator';

/** A staff record as the posts need it. */
export type PostStaff = { username: string; role: TownRole; communityIds?: readonly string[]; status?: string };

/** What the mediation posts are read from. */
export type PostSources = {
  /** The town's active grids with their community. */
  grids: ReadonlyArray<{ gridId: string; communityId: string }>;
  /** The town's active communities. */
  communities: readonly string[];
  /** Each community's coverage (appointed coordinators with their grids and posts). */
  coverage: readonly CoverageState[];
  /** The sign-in of each appointed coordinator that has one, by coordinator id. */
  accounts: Readonly<Record<string, string>>;
  /** The town's staff records (any role). */
  staff: readonly PostStaff[];
};

const active = (s: PostStaff) => s.status !== 'disabled';
const unique = (list: readonly string[]) => [...new Set(list)];

/** The mediation posts of a town and their holders, every place held by someone, in a stable order. */
export function mediatorPosts(src: PostSources): MediatorPost[] {
  const disabled = new Set(src.staff.filter((s) => !active(s)).map((s) => s.username));
  const staff = src.staff.filter(active);
  const posts: MediatorPost[] = [];
  const add = (level: MediatorPost['level'], place: string, usernames: readonly string[]) => {
    const held = unique(usernames).sort();
    if (held.length) posts.push({ level, place, usernames: held });
  };

  for (const g of src.grids) {
    const holders: string[] = [];
    for (const c of src.coverage)
      for (const [coordinatorId, h] of Object.entries(c.holders)) {
        const username = src.accounts[coordinatorId];
        if (username && !disabled.has(username) && h.gridIds.includes(g.gridId) && h.postIds.includes(MEDIATOR_POST_ID))
          holders.push(username);
      }
    add('courtyard', g.gridId, holders);
  }

  for (const communityId of src.communities) {
    const mediators = staff.filter((s) => s.role === 'mediator' && (s.communityIds ?? []).includes(communityId));
    const station = staff.filter((s) => s.role === 'community_staff' && (s.communityIds ?? []).includes(communityId));
    add(
      'community',
      communityId,
      (mediators.length ? mediators : station).map((s) => s.username),
    );
  }

  const centre = staff.filter((s) => s.role === 'mediator' && (s.communityIds ?? []).length === 0);
  const admins = staff.filter((s) => s.role === 'town_admin');
  add(
    'town',
    TOWN_PLACE,
    (centre.length ? centre : admins).map((s) => s.username),
  );
  return posts;
}

/** The places where `username` holds a post, by level (what a caller's case list must cover). */
export function postsHeldBy(posts: readonly MediatorPost[], username: string): MediatorPost[] {
  return posts.filter((p) => p.usernames.includes(username));
}
