import { describe, expect, it } from 'vitest';
import type { TownPrincipal } from '../principal';
import { visitBodySchema, visitDueQuerySchema } from './api';
import {
  checkVisitChecks,
  checkVisitCommunity,
  checkVisitGrid,
  checkVisitSeen,
  checkVisitedAt,
  countTags,
  dueHousehold,
  newVisitState,
  planVisit,
  restate,
  shownDrivenBy,
  stateCounts,
  type VisitState,
} from './rules';

const cycles = { householdDays: 30, byTag: { elderly_alone: 7, disabled: 14, drugs: 10 } };
const NOW = '2026-11-27T02:00:00.000Z';
const who = (over: Partial<TownPrincipal> = {}): TownPrincipal => ({
  kind: 'town',
  userId: 'u1',
  username: 'wang',
  role: 'grid_coordinator',
  townId: 'qingshi',
  scope: { communities: [], grids: ['g1'] },
  ...over,
});
const home = { gridId: 'g1', householdId: 'h1', communityId: 'c1', door: '1-101' };
const state = (over: Partial<VisitState> = {}): VisitState => ({ ...newVisitState(home, '2026-11-01', {}, cycles, NOW), ...over });
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code: string; status: number; field?: string }).code;
  }
  return undefined;
};

describe('scope', () => {
  it('lets a coordinator reach their grids only, staff their communities only', () => {
    expect(code(() => checkVisitGrid(who(), 'g1', { communityId: 'c1' }))).toBeUndefined();
    expect(code(() => checkVisitGrid(who(), 'g2'))).toBe('scope.grid');
    const staff = who({ role: 'community_staff', scope: { communities: ['c1'], grids: [] } });
    expect(code(() => checkVisitGrid(staff, 'g9', { communityId: 'c2' }))).toBe('scope.grid');
    expect(code(() => checkVisitCommunity(staff, 'c1'))).toBeUndefined();
    expect(code(() => checkVisitCommunity(staff, 'c2'))).toBe('scope.community');
    expect(code(() => checkVisitCommunity(who(), 'c1'))).toBe('scope.community');
    expect(code(() => checkVisitCommunity(who({ role: 'auditor', scope: { communities: [], grids: [] } }), 'c7'))).toBeUndefined();
  });

  it('hides key-group tags behind `key_group` without the permission', () => {
    expect(shownDrivenBy(who(), ['drugs', 'elderly_alone'], ['drugs'])).toEqual(['key_group', 'elderly_alone']);
    const seer = who({ scope: { communities: [], grids: ['g1'], permissions: ['key_groups'] } });
    expect(shownDrivenBy(seer, ['drugs'], ['drugs'])).toEqual(['drugs']);
  });
});

describe('what a visit may say', () => {
  it('takes a visit from five minutes ahead to fourteen days back', () => {
    expect(code(() => checkVisitedAt('2026-11-27T02:04:00.000Z', NOW))).toBeUndefined();
    expect(code(() => checkVisitedAt('2026-11-27T02:06:00.000Z', NOW))).toBe('visit.in_future');
    expect(code(() => checkVisitedAt('2026-11-13T03:00:00.000Z', NOW))).toBeUndefined();
    expect(code(() => checkVisitedAt('2026-11-12T02:00:00.000Z', NOW))).toBe('visit.too_old');
  });

  it('takes only the findings of the kind, once each, and members seen', () => {
    expect(code(() => checkVisitChecks('routine', []))).toBeUndefined();
    expect(code(() => checkVisitChecks('routine', ['absent']))).toBeUndefined();
    expect(code(() => checkVisitChecks('key_group', ['absent']))).toBe('visit.check');
    expect(code(() => checkVisitChecks('routine', ['absent', 'absent']))).toBe('visit.check');
    expect(code(() => checkVisitSeen(['p1'], ['p1', 'p2']))).toBeUndefined();
    expect(code(() => checkVisitSeen(['p3'], ['p1']))).toBe('visit.seen');
  });

  it('parses a body and a due query, refusing both places or neither', () => {
    const body = {
      visitId: '01JD0000000000000000000000',
      gridId: 'g1',
      householdId: 'h1',
      visitedAt: NOW,
      kind: 'routine',
      seen: [],
      checks: [],
    };
    expect(visitBodySchema.safeParse(body).success).toBe(true);
    expect(visitBodySchema.safeParse({ ...body, kind: 'party' }).success).toBe(false);
    expect(visitBodySchema.safeParse({ ...body, note: 'x'.repeat(501) }).success).toBe(false);
    expect(visitDueQuerySchema.safeParse({ gridId: 'g1' }).data).toMatchObject({ gridId: 'g1', limit: 50 });
    expect(visitDueQuerySchema.safeParse({}).success).toBe(false);
    expect(visitDueQuerySchema.safeParse({ gridId: 'g1', communityId: 'c1' }).success).toBe(false);
  });
});

describe('states', () => {
  it('starts a household a cycle after it entered, its cycle from its members’ tags', () => {
    const s = newVisitState(
      home,
      '2026-11-01',
      countTags([
        { tags: ['elderly_alone'], keyTags: [] },
        { tags: [], status: 'closed' },
      ]),
      cycles,
      NOW,
    );
    expect(s).toMatchObject({ cycleDays: 7, drivenBy: ['elderly_alone'], due: '2026-11-08', overdue: false, version: 1 });
    expect(stateCounts(s, 1)).toEqual([
      { scope: 'TOWN', deltas: { visit_households: 1 } },
      { scope: 'GRID#g1', deltas: { visit_households: 1 } },
    ]);
    expect(stateCounts({ gridId: 'g1', overdue: true }, -1)[0]?.deltas).toEqual({ visit_households: -1, visit_overdue: -1 });
  });

  it('restates cycle and due from the last visit when tags move, marking the book change', () => {
    const s = state({ lastVisitOn: '2026-11-20' });
    const after = restate(s, { elderly_alone: 1 }, cycles, NOW);
    expect(after).toMatchObject({ cycleDays: 7, due: '2026-11-27', version: 2, bookVersion: 2 });
    expect(dueHousehold(after, '2026-11-29')).toMatchObject({ overdueDays: 2, due: '2026-11-27', version: 2 });
  });
});

describe('planVisit', () => {
  const visit = { visitId: 'v1', on: '2026-11-27', kind: 'routine' as const, by: 'wang' };

  it('moves the last visit and due, counting the month’s flows', () => {
    const p = planVisit(state(), visit, '2026-11-27', NOW);
    expect(p.after).toMatchObject({ lastVisitOn: '2026-11-27', lastVisitId: 'v1', due: '2026-12-27', version: 2, overdue: false });
    expect(p.counters).toEqual([{ scope: 'MONTH#2026-11', deltas: { visits: 1, visits_routine: 1 } }]);
    expect(p.flags).toEqual([]);
  });

  it('clears an overdue mark, counted once in the town, the grid and the month', () => {
    const p = planVisit(state({ due: '2026-11-20', overdue: true }), visit, '2026-11-27', NOW);
    expect(p.after?.overdue).toBe(false);
    expect(p.counters).toEqual([
      { scope: 'MONTH#2026-11', deltas: { visits: 1, visits_routine: 1, visits_overdue_cleared: 1 } },
      { scope: 'TOWN', deltas: { visit_overdue: -1 } },
      { scope: 'GRID#g1', deltas: { visit_overdue: -1 } },
    ]);
  });

  it('keeps a later last visit when one recorded late is older', () => {
    const p = planVisit(
      state({ lastVisitOn: '2026-11-26', lastVisitId: 'v0', due: '2026-12-26' }),
      { ...visit, on: '2026-11-20' },
      '2026-11-27',
      NOW,
    );
    expect(p.after).toMatchObject({ lastVisitOn: '2026-11-26', lastVisitId: 'v0', due: '2026-12-26' });
  });

  it('flags a household the book changed after the device saw it, and a closed one', () => {
    const changed = restate(state(), { disabled: 1 }, cycles, NOW);
    expect(planVisit(changed, { ...visit, seenVersion: 1 }, '2026-11-27', NOW).flags).toEqual(['household_changed']);
    // Visits move the version but are not book changes: a device that saw the state before a visit is not flagged.
    const visited = planVisit(changed, visit, '2026-11-27', NOW).after as VisitState;
    expect(planVisit(visited, { ...visit, seenVersion: 2 }, '2026-11-27', NOW).flags).toEqual([]);
    const closed = planVisit(undefined, visit, '2026-11-27', NOW);
    expect(closed).toEqual({
      counters: [{ scope: 'MONTH#2026-11', deltas: { visits: 1, visits_routine: 1 } }],
      flags: ['household_closed'],
    });
  });
});
