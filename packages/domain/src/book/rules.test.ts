import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { TownPrincipal } from '../principal';
import {
  type BookHousehold,
  type BookPerson,
  changedFields,
  checkArrivalGiven,
  checkAtVersion,
  checkGenderAgreement,
  checkGridFound,
  checkGridReach,
  checkHouseholdOpen,
  checkKeyTagChange,
  checkLandlordHome,
  checkTagSearch,
  checkTagsKnown,
  correctedPerson,
  householdCounts,
  landlordToCheck,
  moveTarget,
  personCounts,
  planArrival,
  planClose,
  planCorrection,
  planHouseholdChange,
  planHouseholdClose,
  planMove,
  planNewPerson,
  visibleTo,
} from './rules';

const principal = (over: Partial<TownPrincipal> = {}): TownPrincipal => ({
  kind: 'town',
  role: 'town_admin',
  townId: 'qingshi',
  userId: 'u-1',
  username: 'admin',
  scope: { communities: [], grids: [] },
  ...over,
});
const coordinator = principal({ role: 'grid_coordinator', scope: { communities: [], grids: ['g1'] } });
const staff = principal({ role: 'community_staff', scope: { communities: ['c1'], grids: [] } });
const withKeyGroups = principal({ scope: { communities: [], grids: [], permissions: ['key_groups'] } });

const person = (over: Partial<BookPerson> = {}): BookPerson => ({
  personId: 'p1',
  householdId: 'h1',
  gridId: 'g1',
  communityId: 'c1',
  courtyardId: 'y1',
  name: '张三',
  gender: 'male',
  birthDate: '1980-01-01',
  idMasked: '3305**********1234',
  relation: '户主',
  residenceType: 'registered',
  tags: [],
  keyTags: [],
  status: 'active',
  version: 3,
  ...over,
});
const household = (over: Partial<BookHousehold> = {}): BookHousehold => ({
  householdId: 'h1',
  gridId: 'g1',
  communityId: 'c1',
  courtyardId: 'y1',
  code: 'A-1',
  door: '1单元101室',
  members: 0,
  status: 'active',
  version: 2,
  ...over,
});
const NOW = '2026-11-27T08:00:00.000Z';

/** The code an expression fails with (and its status and field), or undefined when it passes. */
function refusal(f: () => unknown) {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { code: e.code, status: e.status, field: e.field };
  }
}

describe('scope', () => {
  it('keeps coordinators to their grids and community staff to their communities', () => {
    expect(refusal(() => checkGridReach(coordinator, 'g2'))).toEqual({ code: 'scope.grid', status: 403, field: undefined });
    expect(refusal(() => checkGridReach(coordinator, 'g1'))).toBeUndefined();
    expect(refusal(() => checkGridReach(staff, 'g9'))).toBeUndefined();
    expect(refusal(() => checkGridFound(staff, { communityId: 'c2' }))?.code).toBe('scope.grid');
    expect(refusal(() => checkGridFound(staff, undefined))?.code).toBe('grid.not_found');
    expect(checkGridFound(staff, { communityId: 'c1', gridId: 'g9' })).toEqual({ communityId: 'c1', gridId: 'g9' });
  });

  it('shows search results by the same scope', () => {
    expect(visibleTo(coordinator, { gridId: 'g1', communityId: 'c9' })).toBe(true);
    expect(visibleTo(coordinator, { gridId: 'g2', communityId: 'c1' })).toBe(false);
    expect(visibleTo(staff, { gridId: 'g2', communityId: 'c1' })).toBe(true);
    expect(visibleTo(staff, { gridId: 'g1', communityId: 'c2' })).toBe(false);
    expect(visibleTo(principal(), { gridId: 'gx', communityId: 'cx' })).toBe(true);
  });
});

describe('what a person may be', () => {
  it('needs the gender the ID number encodes', () => {
    expect(refusal(() => checkGenderAgreement('female', 'male'))).toEqual({
      code: 'person.gender_mismatch',
      status: 400,
      field: 'body.gender',
    });
    expect(refusal(() => checkGenderAgreement('female', 'female'))).toBeUndefined();
  });

  it('needs an arrival for a floating person only', () => {
    expect(refusal(() => checkArrivalGiven('floating', undefined))?.field).toBe('body.floating');
    expect(refusal(() => checkArrivalGiven('floating', { arrivalDate: '2026-01-01' }))).toBeUndefined();
    expect(refusal(() => checkArrivalGiven('registered', undefined))).toBeUndefined();
  });

  it('lets only the permission change key-group tags; the same set again is no change', () => {
    expect(refusal(() => checkKeyTagChange(principal(), ['drugs']))?.code).toBe('person.key_groups_forbidden');
    expect(refusal(() => checkKeyTagChange(principal(), ['drugs'], ['drugs']))).toBeUndefined();
    expect(refusal(() => checkKeyTagChange(principal(), undefined, ['drugs']))).toBeUndefined();
    expect(refusal(() => checkKeyTagChange(principal(), [], []))).toBeUndefined();
    expect(refusal(() => checkKeyTagChange(withKeyGroups, ['drugs']))).toBeUndefined();
    expect(refusal(() => checkTagSearch(principal(), false))?.status).toBe(403);
    expect(refusal(() => checkTagSearch(principal(), true))).toBeUndefined();
    expect(refusal(() => checkTagSearch(withKeyGroups, false))).toBeUndefined();
  });

  it('takes tags from the town catalogue only, each kind in its own list', () => {
    const catalogue = { specialGroups: ['elderly'], keyGroups: ['drugs'] };
    expect(refusal(() => checkTagsKnown(catalogue, ['elderly'], ['drugs']))).toBeUndefined();
    expect(refusal(() => checkTagsKnown(catalogue, ['drugs'], []))).toEqual({
      code: 'person.unknown_tag',
      status: 400,
      field: 'body.tags',
    });
    expect(refusal(() => checkTagsKnown(catalogue, [], ['elderly']))?.field).toBe('body.keyTags');
  });

  it('checks a landlord household only when the reference changes, and wants it active', () => {
    const f = { arrivalDate: '2026-01-01', landlordGridId: 'g2', landlordHouseholdId: 'h9' };
    expect(landlordToCheck(f, undefined)).toEqual({ gridId: 'g2', householdId: 'h9' });
    expect(landlordToCheck(f, f)).toBeUndefined();
    expect(landlordToCheck({ arrivalDate: '2026-01-01' }, f)).toBeUndefined();
    expect(landlordToCheck(null, f)).toBeUndefined();
    expect(refusal(() => checkLandlordHome(undefined))?.code).toBe('household.not_found');
    expect(refusal(() => checkLandlordHome({ status: 'closed' }))).toEqual({
      code: 'household.closed',
      status: 409,
      field: 'body.floating.landlordHouseholdId',
    });
    expect(refusal(() => checkLandlordHome({ status: 'active' }))).toBeUndefined();
  });

  it('changes records only while active and at the version read', () => {
    expect(refusal(() => checkAtVersion({ status: 'closed', version: 1 }, 1, 'person.closed', 'x'))?.code).toBe('person.closed');
    expect(refusal(() => checkAtVersion({ status: 'active', version: 2 }, 1, 'person.closed', 'x'))?.code).toBe('conflict.version');
    expect(refusal(() => checkAtVersion({ status: 'active', version: 1 }, 1, 'person.closed', 'x'))).toBeUndefined();
    expect(refusal(() => checkHouseholdOpen(undefined))?.code).toBe('household.not_found');
    expect(refusal(() => checkHouseholdOpen({ status: 'closed' }))?.code).toBe('household.closed');
  });
});

describe('counts', () => {
  it('counts a person in town, grid and courtyard; key groups in the town only', () => {
    expect(personCounts(person({ tags: ['elderly'], keyTags: ['drugs'] }), 1)).toEqual([
      { scope: 'TOWN', deltas: { people: 1, res_registered: 1, special: 1, tag_elderly: 1, ktag_drugs: 1 } },
      { scope: 'GRID#g1', deltas: { people: 1, res_registered: 1, special: 1, tag_elderly: 1 } },
      { scope: 'YARD#y1', deltas: { people: 1, res_registered: 1, special: 1, tag_elderly: 1 } },
    ]);
    expect(personCounts(person({ courtyardId: undefined, residenceType: 'floating' }), -1)).toEqual([
      { scope: 'TOWN', deltas: { people: -1, res_floating: -1 } },
      { scope: 'GRID#g1', deltas: { people: -1, res_floating: -1 } },
    ]);
    expect(householdCounts(household(), -1).map((c) => c.scope)).toEqual(['TOWN', 'GRID#g1', 'YARD#y1']);
  });
});

describe('person plans', () => {
  it('registers a floating newcomer as an arrival in the month of their arrival', () => {
    const p = person({ residenceType: 'floating', floating: { arrivalDate: '2026-03-15' }, version: 1 });
    const plan = planNewPerson(p, NOW, 2);
    expect(plan.events).toEqual([
      { kind: 'created', on: '2026-11-27', to: { gridId: 'g1', householdId: 'h1' } },
      { kind: 'arrival', on: '2026-03-15', after: 'created' },
    ]);
    expect(plan.counters.at(-1)).toEqual({ scope: 'MONTH#2026-03', deltas: { arrivals: 1 } });
    expect(plan.members).toEqual([{ gridId: 'g1', householdId: 'h1', delta: 1, version: 2 }]);
    expect(plan.audit).toEqual({ action: 'person.create' });
    // A registered resident has no arrival; without a household version the join has none either.
    const settled = planNewPerson(person(), NOW);
    expect(settled.events.map((e) => e.kind)).toEqual(['created']);
    expect(settled.counters.some((c) => c.scope.startsWith('MONTH#'))).toBe(false);
    expect(settled.members).toEqual([{ gridId: 'g1', householdId: 'h1', delta: 1 }]);
  });

  it('corrects a person: fields named, counts moved from before to after, a floating record needs its arrival', () => {
    const before = person({ tags: ['elderly'] });
    const after = correctedPerson(before, { name: '张四', tags: ['elderly', 'elderly'], note: null });
    expect(after).toMatchObject({ name: '张四', tags: ['elderly'], version: 4 });
    expect(after.note).toBeUndefined();
    const plan = planCorrection(before, after, NOW, { importedBy: 'x' });
    expect(plan.audit).toEqual({ action: 'person.change', details: { fields: ['name'], importedBy: 'x' } });
    expect(plan.events).toEqual([{ kind: 'changed', on: '2026-11-27', fields: ['name'], importedBy: 'x' }]);
    expect(plan.counters).toHaveLength(6);
    expect(changedFields({ a: 1, version: 1, idEnc: 'x' }, { a: 1, version: 2, idEnc: 'y', b: 2 })).toEqual(['b']);
    expect(refusal(() => correctedPerson(before, { residenceType: 'floating' }))?.code).toBe('person.arrival_required');
  });

  it('records an arrival on the person with the month counter, and no other count', () => {
    const plan = planArrival(person({ residenceType: 'floating', floating: { arrivalDate: '2025-01-01', reason: '务工' } }), {
      on: '2026-10-02',
      origin: '贵州',
    });
    expect(plan.after.floating).toEqual({ arrivalDate: '2026-10-02', reason: '务工', origin: '贵州' });
    expect(plan.counters).toEqual([{ scope: 'MONTH#2026-10', deltas: { arrivals: 1 } }]);
    expect(plan.audit.action).toBe('person.arrival');
  });

  it('moves a person to another grid with both member counts and every count following', () => {
    expect(refusal(() => moveTarget({ gridId: 'g1', householdId: 'h1' }, {}))?.code).toBe('move.target_required');
    expect(refusal(() => moveTarget({ gridId: 'g1', householdId: 'h1' }, { toGridId: 'g1', toHouseholdId: 'h1' }))?.code).toBe(
      'move.same_household',
    );
    const target = household({ householdId: 'h2', gridId: 'g2', communityId: 'c2', courtyardId: undefined, version: 7 });
    const plan = planMove(person(), target, { kind: 'to_household', on: '2026-11-01' });
    expect(plan.after).toMatchObject({ gridId: 'g2', householdId: 'h2', communityId: 'c2', version: 4 });
    expect('courtyardId' in plan.after).toBe(false);
    expect(plan.members).toEqual([
      { gridId: 'g1', householdId: 'h1', delta: -1 },
      { gridId: 'g2', householdId: 'h2', delta: 1, version: 7 },
    ]);
    expect(plan.counters.map((c) => c.scope)).toEqual(['TOWN', 'GRID#g1', 'YARD#y1', 'TOWN', 'GRID#g2']);
    expect(plan.events[0]).toEqual({
      kind: 'to_household',
      on: '2026-11-01',
      from: { gridId: 'g1', householdId: 'h1' },
      to: { gridId: 'g2', householdId: 'h2' },
    });
  });

  it('closes a record without deleting it; a departure also counts in its month', () => {
    const died = planClose(person(), { reason: 'died', on: '2026-11-20' }, 'close');
    expect(died.after).toMatchObject({ status: 'closed', closedReason: 'died', version: 4 });
    expect(died.events).toEqual([{ kind: 'closed_died', on: '2026-11-20' }]);
    expect(died.counters.some((c) => c.scope.startsWith('MONTH#'))).toBe(false);
    expect(died.members).toEqual([{ gridId: 'g1', householdId: 'h1', delta: -1 }]);
    const left = planClose(person(), { reason: 'moved_away', on: '2026-11-20', note: '回乡' }, 'departure');
    expect(left.events).toEqual([{ kind: 'departure', on: '2026-11-20', note: '回乡' }]);
    expect(left.counters.at(-1)).toEqual({ scope: 'MONTH#2026-11', deltas: { departures: 1 } });
    expect(left.audit).toEqual({ action: 'person.departure', details: { reason: 'moved_away' } });
    expect(refusal(() => planClose(person({ status: 'closed' }), { reason: 'died', on: '2026-11-20' }, 'close'))?.code).toBe(
      'person.closed',
    );
  });
});

describe('household plans', () => {
  it('changes nothing when nothing differs', () => {
    expect(planHouseholdChange(household(), { version: 2, door: '1单元101室' }, [])).toBeUndefined();
  });

  it('carries active members to a new courtyard of the same grid, with the courtyard counts', () => {
    const members = [person(), person({ personId: 'p2', status: 'closed' })];
    const plan = planHouseholdChange(household({ members: 1 }), { version: 2, courtyardId: 'y2', code: null }, members, { gridId: 'g1' });
    expect(plan?.fields).toEqual(['courtyardId', 'code']);
    expect(plan?.after).toMatchObject({ courtyardId: 'y2', version: 3 });
    expect(plan && 'code' in plan.after).toBe(false);
    expect(plan?.code).toEqual({ from: 'A-1', to: undefined });
    expect(plan?.members.map((m) => [m.before.personId, m.after.courtyardId, m.after.version])).toEqual([['p1', 'y2', 4]]);
    expect(plan?.counters.slice(0, 2)).toEqual([
      { scope: 'YARD#y1', deltas: { households: -1 } },
      { scope: 'YARD#y2', deltas: { households: 1 } },
    ]);
    expect(plan?.audit.details).toEqual({ fields: ['courtyardId', 'code'], courtyard: { from: 'y1', to: 'y2' }, members: 1 });
  });

  it('refuses a courtyard that is missing, retired or of another grid', () => {
    const change = { version: 2, courtyardId: 'y2' };
    expect(refusal(() => planHouseholdChange(household(), change, [], undefined))?.code).toBe('courtyard.not_found');
    expect(refusal(() => planHouseholdChange(household(), change, [], { gridId: 'g1', status: 'retired' }))?.code).toBe(
      'courtyard.not_found',
    );
    expect(refusal(() => planHouseholdChange(household(), change, [], { gridId: 'g2' }))?.code).toBe('household.courtyard_elsewhere');
  });

  it('closes only an empty household, by its records and by its count', () => {
    const close = { version: 2, reason: 'dissolved' as const, on: '2026-11-27' };
    expect(refusal(() => planHouseholdClose(household(), 1, close))?.code).toBe('household.has_members');
    expect(refusal(() => planHouseholdClose(household({ members: 2 }), 0, close))?.code).toBe('household.has_members');
    const plan = planHouseholdClose(household(), 0, close);
    expect(plan.after).toMatchObject({ status: 'closed', closedReason: 'dissolved', closedOn: '2026-11-27', version: 3 });
    expect(plan.counters).toEqual(householdCounts(household(), -1));
  });
});
