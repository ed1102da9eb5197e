import { describe, expect, it } from 'vitest';
import * as z from '../common/zod';
import type { TownPrincipal } from '../principal';
import { DEFAULT_VISIT_CYCLES } from '../defaults';
import { householdCycle } from './cycle';
import {
  correctionProposalSchema,
  type CorrectionView,
  decideCorrection,
  maskNumbersInText,
  mayDecideCorrection,
  mayProposeCorrection,
  maySeeCorrection,
} from './corrections';
import { coverageRow, markAfterRecompute, overdueMarkCounters, overdueMarkFor, reminderCounts, sumRows } from './coverage';
import { cyclesDiffer, planCyclesSave, visibleCycles } from './cycles';

const TAGS = { specialGroups: ['elderly_alone', 'disabled'], keyGroups: ['drug_rehab'] };
const current = { version: 2, cycles: { householdDays: 30, byTag: { elderly_alone: 7, drug_rehab: 10 } } };
const who = (role: TownPrincipal['role'], communities: string[] = [], grids: string[] = [], username = 'u1'): TownPrincipal => ({
  kind: 'town',
  townId: 't',
  userId: username,
  username,
  role,
  scope: { communities, grids },
});

describe('a save of the visit cycles', () => {
  it('is refused at a stale version (409), with an unknown tag or one longer than the household cycle (422)', () => {
    expect(planCyclesSave({ version: 1, householdDays: 30, byTag: {} }, current, TAGS, true)).toMatchObject({
      ok: false,
      refusal: { status: 409, code: 'visit.cycles_changed', field: 'body.version' },
    });
    expect(planCyclesSave({ version: 2, householdDays: 30, byTag: { astronaut: 5 } }, current, TAGS, true)).toMatchObject({
      ok: false,
      refusal: { status: 422, code: 'visit.unknown_tag', field: 'body.byTag.astronaut' },
    });
    expect(planCyclesSave({ version: 2, householdDays: 20, byTag: { disabled: 25 } }, current, TAGS, true)).toMatchObject({
      ok: false,
      refusal: { status: 422, code: 'visit.cycle_too_long', field: 'body.byTag.disabled' },
    });
  });

  it('takes the town tags; key-group tags only with the permission, and keeps them as they were without it', () => {
    expect(planCyclesSave({ version: 2, householdDays: 30, byTag: { elderly_alone: 5, drug_rehab: 7 } }, current, TAGS, true)).toEqual({
      ok: true,
      after: { householdDays: 30, byTag: { elderly_alone: 5, drug_rehab: 7 } },
    });
    expect(planCyclesSave({ version: 2, householdDays: 30, byTag: { drug_rehab: 7 } }, current, TAGS, false)).toMatchObject({
      ok: false,
      refusal: { code: 'visit.unknown_tag' },
    });
    expect(planCyclesSave({ version: 2, householdDays: 28, byTag: { elderly_alone: 5 } }, current, TAGS, false)).toEqual({
      ok: true,
      after: { householdDays: 28, byTag: { elderly_alone: 5, drug_rehab: 10 } },
    });
    expect(visibleCycles(current.cycles, TAGS.keyGroups, false)).toEqual({ householdDays: 30, byTag: { elderly_alone: 7 } });
  });

  it('tells whether any household’s cycle can change', () => {
    expect(cyclesDiffer(DEFAULT_VISIT_CYCLES, structuredClone(DEFAULT_VISIT_CYCLES))).toBe(false);
    expect(
      cyclesDiffer(DEFAULT_VISIT_CYCLES, { ...DEFAULT_VISIT_CYCLES, byTag: { ...DEFAULT_VISIT_CYCLES.byTag, elderly_alone: 5 } }),
    ).toBe(true);
    expect(householdCycle({ elderly_alone: 1 }, { householdDays: 30, byTag: { elderly_alone: 5 } })).toEqual({
      days: 5,
      drivenBy: ['elderly_alone'],
    });
  });
});

describe('coverage', () => {
  it('is the share of households not overdue, 1 with none, bounded against drifting counters', () => {
    expect(coverageRow('g1', 'grid', 10, 3)).toEqual({
      placeId: 'g1',
      placeKind: 'grid',
      households: 10,
      overdue: 3,
      covered: 7,
      share: 0.7,
    });
    expect(coverageRow('g2', 'grid', 0, 0).share).toBe(1);
    expect(coverageRow('g3', 'grid', 2, 5)).toMatchObject({ overdue: 2, covered: 0, share: 0 });
    expect(coverageRow('g4', 'grid', -1, -1)).toMatchObject({ households: 0, overdue: 0, share: 1 });
    expect(sumRows('c1', 'community', [coverageRow('a', 'grid', 10, 3), coverageRow('b', 'grid', 10, 1)])).toMatchObject({
      households: 20,
      overdue: 4,
      covered: 16,
      share: 0.8,
    });
  });

  it('marks a state once when its due has passed; a recompute only clears a mark', () => {
    expect(overdueMarkFor({ due: '2026-12-05', overdue: false }, '2026-12-06')).toBe('mark');
    expect(overdueMarkFor({ due: '2026-12-05', overdue: true }, '2026-12-06')).toBe('none');
    expect(overdueMarkFor({ due: '2026-12-06', overdue: false }, '2026-12-06')).toBe('none');
    expect(markAfterRecompute({ overdue: true }, '2026-12-08', '2026-12-06')).toBe('clear');
    expect(markAfterRecompute({ overdue: true }, '2026-12-01', '2026-12-06')).toBe('keep');
    expect(markAfterRecompute({ overdue: false }, '2026-12-01', '2026-12-06')).toBe('keep');
    expect(overdueMarkCounters('g1', 1)).toEqual([
      { scope: 'TOWN', deltas: { visit_overdue: 1 } },
      { scope: 'GRID#g1', deltas: { visit_overdue: 1 } },
    ]);
  });

  it('counts a coordinator’s morning: due today and overdue, later dues not at all', () => {
    expect(
      reminderCounts([{ due: '2026-12-06' }, { due: '2026-12-01' }, { due: '2026-12-05' }, { due: '2026-12-09' }], '2026-12-06'),
    ).toEqual({
      dueToday: 1,
      overdue: 2,
    });
  });
});

describe('book corrections', () => {
  const open: CorrectionView = {
    correctionId: 'c1',
    status: 'open',
    kind: 'phone',
    gridId: 'g1',
    communityId: 'c1',
    householdId: 'h1',
    personId: 'p1',
    phoneMasked: '138****5678',
    proposedBy: 'coord',
    proposedAt: '2026-12-06T01:00:00.000Z',
    version: 1,
  };
  const now = '2026-12-06T02:00:00.000Z';

  it('needs a person except for other, a phone exactly for a phone correction', () => {
    const ok = (b: unknown) => z.safeParse(correctionProposalSchema, b).success;
    expect(ok({ kind: 'phone', gridId: 'g1', householdId: 'h1', personId: 'p1', phone: '13800001111' })).toBe(true);
    expect(ok({ kind: 'phone', gridId: 'g1', householdId: 'h1', personId: 'p1' })).toBe(false);
    expect(ok({ kind: 'died', gridId: 'g1', householdId: 'h1' })).toBe(false);
    expect(ok({ kind: 'died', gridId: 'g1', householdId: 'h1', personId: 'p1', phone: '13800001111' })).toBe(false);
    expect(ok({ kind: 'other', gridId: 'g1', householdId: 'h1', note: '门牌号错了' })).toBe(true);
  });

  it('is proposed within the caller’s scope and decided by staff of its community or an admin', () => {
    const place = { gridId: 'g1', communityId: 'c1' };
    expect(mayProposeCorrection(who('grid_coordinator', [], ['g1']), place)).toBe(true);
    expect(mayProposeCorrection(who('grid_coordinator', [], ['g2']), place)).toBe(false);
    expect(mayProposeCorrection(who('community_staff', ['c2']), place)).toBe(false);
    expect(mayProposeCorrection(who('auditor'), place)).toBe(false);
    expect(mayDecideCorrection(who('community_staff', ['c1']), place)).toBe(true);
    expect(mayDecideCorrection(who('grid_coordinator', [], ['g1']), place)).toBe(false);
    expect(mayDecideCorrection(who('town_admin'), place)).toBe(true);
    expect(maySeeCorrection(who('grid_coordinator', [], ['g1'], 'coord'), { ...place, proposedBy: 'coord' })).toBe(true);
    expect(maySeeCorrection(who('grid_coordinator', [], ['g1'], 'other'), { ...place, proposedBy: 'coord' })).toBe(false);
  });

  it('accepting a phone sets the phone, a departure closes the person, other only marks; a reject changes no book', () => {
    const staff = who('community_staff', ['c1'], [], 'staff');
    expect(decideCorrection(open, { version: 1, decision: 'accept' }, staff, now)).toMatchObject({
      ok: true,
      after: { status: 'accepted', decidedBy: 'staff', decidedAt: now, version: 2 },
      effect: { book: 'set_phone' },
    });
    expect(decideCorrection({ ...open, kind: 'died' }, { version: 1, decision: 'accept' }, staff, now)).toMatchObject({
      effect: { book: 'close_person', reason: 'died' },
    });
    expect(decideCorrection({ ...open, kind: 'other' }, { version: 1, decision: 'accept' }, staff, now)).toMatchObject({
      effect: { book: 'none' },
    });
    expect(decideCorrection(open, { version: 1, decision: 'reject', reason: '号码不对' }, staff, now)).toMatchObject({
      after: { status: 'rejected', reason: '号码不对' },
      effect: { book: 'none' },
    });
  });

  it('refuses a stale version or a decided correction (409), a caller outside its community (404) or a coordinator (403)', () => {
    const staff = who('community_staff', ['c1']);
    expect(decideCorrection(open, { version: 2, decision: 'accept' }, staff, now)).toMatchObject({ ok: false, refusal: { status: 409 } });
    expect(decideCorrection({ ...open, status: 'accepted' }, { version: 1, decision: 'reject' }, staff, now)).toMatchObject({
      refusal: { code: 'correction.decided', status: 409 },
    });
    expect(decideCorrection(open, { version: 1, decision: 'accept' }, who('community_staff', ['c9']), now)).toMatchObject({
      refusal: { status: 404 },
    });
    expect(decideCorrection(open, { version: 1, decision: 'accept' }, who('grid_coordinator', [], ['g1'], 'coord'), now)).toMatchObject({
      refusal: { status: 403 },
    });
  });

  it('masks ID numbers and mobiles in a note', () => {
    expect(maskNumbersInText('新号13812345678，身份证330521198403170012，门牌12')).toBe(
      '新号138****5678，身份证3305**********0012，门牌12',
    );
  });
});
