import { describe, expect, it } from 'vitest';
import { DEFAULT_POSTS } from '../defaults';
import { AppError } from '../errors';
import { CONTACTS_READ, canRevealTeam, TEAM_REVEAL, TOWN_STAFF_ROLES } from '../rules';
import { contactsDirectory, planPhoneChange, sealedFor, withoutSealed } from './contacts';
import { type Coordinator, type CoverageState, planTeamStep, type TeamAction, type TeamContext } from './rules';

const NOW = '2026-12-05T08:00:00.000Z';
const ctx = (coverage: Record<string, CoverageState | undefined> = {}): TeamContext => ({
  actor: 'admin',
  role: 'town_admin',
  now: NOW,
  posts: DEFAULT_POSTS.map((p) => p.id),
  coverage,
});
/** A stand-in for the vault: the rules never look inside a sealed value. */
const seal = (v: string) => `sealed(${v})`;
const open = (s: string) => s.replace(/^sealed\((.*)\)$/, '$1');

const recommend = (contacts?: Record<string, string>, name = '王芳'): TeamAction => ({
  kind: 'recommend',
  body: {
    name,
    communityId: 'c1',
    recommendedBy: '居民代表会议',
    on: '2026-11-01',
    votes: 31,
    method: 'votes',
    idNumber: '330521198403170000',
    phone: '13957001234',
  },
  ...(contacts ? { contacts } : {}),
});

/** A person walked to appointment on `gridIds`, carrying the coverage like the store would. */
function appointedPerson(
  id: string,
  name: string,
  phone: string | undefined,
  gridIds: string[],
  postIds: string[],
  cov: Record<string, CoverageState | undefined>,
) {
  let rec: Coordinator = planTeamStep(
    ctx(cov),
    undefined,
    recommend(phone ? { phoneSealed: seal(phone), phoneMasked: 'masked' } : {}, name),
    id,
  ).after;
  for (const a of [
    { kind: 'override', body: { step: 'inspect', reason: 'x' } },
    { kind: 'override', body: { step: 'train', reason: 'x' } },
    { kind: 'appoint', body: { on: '2026-12-01', gridIds, postIds, documentNo: 'D' } },
  ] as TeamAction[]) {
    const plan = planTeamStep(ctx(cov), rec, a);
    rec = plan.after;
    for (const c of plan.coverage) cov[c.after.communityId] = c.after;
  }
  return rec;
}

describe('a recommendation’s contacts', () => {
  it('keeps only the sealed values and masks: the plain ID number and phone reach neither the record nor its history', () => {
    const plan = planTeamStep(
      ctx(),
      undefined,
      recommend({ idNumberSealed: seal('id'), idNumberMasked: '3305**********0000', phoneSealed: seal('p'), phoneMasked: '139****1234' }),
      'p1',
    );
    expect(plan.after).toMatchObject({ idNumberSealed: seal('id'), idNumberMasked: '3305**********0000', phoneMasked: '139****1234' });
    const text = JSON.stringify(plan);
    expect(text).not.toContain('330521198403170000');
    expect(text).not.toContain('13957001234');
    expect(plan.events[0]?.details).toMatchObject({ idNumberMasked: '3305**********0000', phoneMasked: '139****1234', votes: 31 });
  });

  it('keeps a sealed value only with its mask', () => {
    const plan = planTeamStep(ctx(), undefined, recommend({ phoneSealed: seal('p') }), 'p1');
    expect(plan.after).not.toHaveProperty('phoneSealed');
    expect(plan.after).not.toHaveProperty('phoneMasked');
  });

  it('answers without the sealed values', () => {
    const view = withoutSealed({ coordinatorId: 'p1', idNumberSealed: 'a', phoneSealed: 'b', phoneMasked: 'm' });
    expect(view).toEqual({ coordinatorId: 'p1', phoneMasked: 'm' });
  });

  it('reveals a recorded value and refuses a missing one', () => {
    const rec = planTeamStep(ctx(), undefined, recommend({ phoneSealed: seal('p'), phoneMasked: 'm' }), 'p1').after;
    expect(sealedFor(rec, 'phone')).toBe(seal('p'));
    expect(() => sealedFor(rec, 'idNumber')).toThrow(expect.objectContaining({ code: 'team.no_id_number', status: 404 }));
  });

  it('lets reveal only the book’s revealers who read the team; every town role reads the directory', () => {
    expect([...TEAM_REVEAL]).toEqual(['town_admin', 'community_staff']);
    expect(canRevealTeam('grid_coordinator')).toBe(false);
    expect(canRevealTeam('auditor')).toBe(false);
    expect([...CONTACTS_READ]).toEqual([...TOWN_STAFF_ROLES]);
  });
});

describe('the sealed phone in the coverage', () => {
  it('follows appointment, transfer, phone correction and dismissal', () => {
    const cov: Record<string, CoverageState | undefined> = {};
    const a = appointedPerson('p1', '韩立', '13957005555', ['g1', 'g2'], ['mediator'], cov);
    expect(cov.c1?.holders.p1?.phoneSealed).toBe(seal('13957005555'));

    // A correction replaces both the record's and the coverage's copy, in one plan.
    const change = planPhoneChange(NOW, { ...a, version: 4 }, 4, { sealed: seal('13957007777'), masked: '139****7777' }, cov.c1);
    expect(change.after).toMatchObject({ phoneSealed: seal('13957007777'), phoneMasked: '139****7777' });
    expect(change.coverage).toHaveLength(1);
    expect(change.coverage[0]?.after.holders.p1?.phoneSealed).toBe(seal('13957007777'));
    expect(change.coverage[0]?.before).toBe(cov.c1);
    expect(change.events.map((e) => e.kind)).toEqual(['phone_changed']);
    expect(change.audit.action).toBe('team.phone');
    const corrected = change.after;
    cov.c1 = change.coverage[0]?.after;

    // A transfer to another community carries the new copy there and takes it out of the first.
    const moved = planTeamStep(ctx(cov), corrected, {
      kind: 'transfer',
      body: { on: '2026-12-03', communityId: 'c2', gridIds: ['g9'], postIds: ['sanitation'], reason: '工作需要' },
    });
    const after = Object.fromEntries(moved.coverage.map((c) => [c.after.communityId, c.after]));
    expect(after.c1?.holders.p1).toBeUndefined();
    expect(after.c2?.holders.p1?.phoneSealed).toBe(seal('13957007777'));

    // A dismissal takes it off.
    const out = planTeamStep(ctx(after), moved.after, { kind: 'dismiss', body: { on: '2026-12-05', reason: 'x' } });
    expect(out.coverage[0]?.after.holders.p1).toBeUndefined();
  });

  it('corrects a candidate’s phone without touching any coverage, at the version read only, never on a closed record', () => {
    const rec = planTeamStep(ctx(), undefined, recommend(), 'p1').after;
    const plan = planPhoneChange(NOW, { ...rec, version: 1 }, 1, { sealed: seal('x'), masked: 'm' }, undefined);
    expect(plan.coverage).toEqual([]);
    expect(() => planPhoneChange(NOW, { ...rec, version: 2 }, 1, { sealed: seal('x'), masked: 'm' }, undefined)).toThrow(
      expect.objectContaining({ code: 'conflict.version', status: 409 }),
    );
    const left = planTeamStep(ctx(), rec, { kind: 'leave', body: { on: '2026-12-01', reason: 'x' } }).after;
    expect(() => planPhoneChange(NOW, { ...left, version: 2 }, 2, { sealed: seal('x'), masked: 'm' }, undefined)).toThrow(AppError);
  });
});

describe('who to call', () => {
  it('lists per grid the responsible coordinator and the holders, with phones opened once each', () => {
    const cov: Record<string, CoverageState | undefined> = {};
    appointedPerson('p1', '韩立', '13957005555', ['g1', 'g2'], ['mediator'], cov);
    appointedPerson('p2', '曹雪', undefined, ['g2'], ['sanitation', 'legal_publicity'], cov);
    const state = cov.c1 as CoverageState;
    state.responsible.g2 = { coordinatorId: 'p1', name: '韩立', since: NOW };
    const opened: string[] = [];
    const dir = contactsDirectory('c1', state, (s) => {
      opened.push(s);
      return open(s);
    });
    expect(dir.grids.map((g) => g.gridId)).toEqual(['g1', 'g2']);
    const g2 = dir.grids[1];
    expect(g2?.responsible).toEqual({ coordinatorId: 'p1', name: '韩立', postIds: ['mediator'], phone: '13957005555' });
    expect(g2?.holders).toEqual([
      { coordinatorId: 'p2', name: '曹雪', postIds: ['sanitation', 'legal_publicity'] },
      { coordinatorId: 'p1', name: '韩立', postIds: ['mediator'], phone: '13957005555' },
    ]);
    expect(dir.grids[0]?.responsible).toBeNull();
    expect(opened).toEqual([seal('13957005555')]);
  });

  it('is empty for a community nobody is appointed in', () => {
    expect(contactsDirectory('c9', undefined, open)).toEqual({ communityId: 'c9', grids: [] });
  });
});
