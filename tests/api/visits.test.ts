import { commitChange, getItem, runInScope, townKeys, townPrefix } from '@gridline/data';
import { addDays, newId, visitDay } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { apiStack, type Json } from '../support/api';
import { testIdNumber } from '../support/ids';

// Household visits (issue 14) through the API against DynamoDB Local with the demo county: qingshi,
// grid1 coordinates qs-g1 (community qingshi-sq, whose staff is station1), admin the town's.

const { call } = apiStack(['qingshi.admin', 'qingshi.grid1', 'qingshi.station1', 'qingshi.auditor']);
const k = townKeys('qingshi');
const inTown = <T>(fn: () => Promise<T>) =>
  runInScope({ requestId: 'test-visits', tenant: 'qingshi', allowedPrefixes: [townPrefix('qingshi')] }, fn);
const counter = async (sk: string) =>
  ((await inTown(() => getItem<Record<string, number>>(k.counters(sk)))) ?? {}) as Record<string, number>;
const stateOf = (gridId: string, householdId: string) =>
  inTown(() => getItem<Json>(k.visitState(gridId, householdId), { consistent: true }));

let sequence = 401;
const nextSequence = () => {
  sequence += 2;
  return sequence;
};
const person = (over: Record<string, unknown> = {}) => ({
  name: '走访对象',
  gender: 'male',
  idNumber: testIdNumber('330523', '1950-03-03', nextSequence()),
  relation: '户主',
  residenceType: 'registered',
  tags: [],
  keyTags: [],
  ...over,
});
const today = () => visitDay(new Date());

async function newHousehold(gridId: string) {
  const r = await call('qingshi.admin', 'POST', `/town/grids/${gridId}/households`, { door: `${sequence}室` });
  expect(r.status, r.text).toBe(201);
  return r.json as { householdId: string; version: number };
}
async function addPerson(gridId: string, householdId: string, over: Record<string, unknown> = {}) {
  const r = await call('qingshi.admin', 'POST', `/town/grids/${gridId}/households/${householdId}/people`, person(over));
  expect(r.status, r.text).toBe(201);
  return r.json as { personId: string; version: number };
}
type Due = {
  householdId: string;
  gridId: string;
  cycleDays: number;
  drivenBy: string[];
  due: string;
  overdueDays: number;
  version: number;
};
const visit = (gridId: string, householdId: string, over: Record<string, unknown> = {}) => ({
  visitId: newId(),
  gridId,
  householdId,
  visitedAt: new Date().toISOString(),
  kind: 'routine',
  seen: [],
  checks: [],
  ...over,
});

describe('household visits', () => {
  it('keeps a state for a new household: the household cycle from today, on its grid’s and community’s due lists', async () => {
    const h = await newHousehold('qs-g1');
    const s = await stateOf('qs-g1', h.householdId);
    expect(s).toMatchObject({ cycleDays: 30, due: addDays(today(), 30), overdue: false, tagCounts: {} });
    const through = addDays(today(), 30);
    const grid = await call('qingshi.grid1', 'GET', `/town/visits/due?gridId=qs-g1&through=${through}&limit=100`);
    expect(grid.status, grid.text).toBe(200);
    const items = grid.json.items as Due[];
    expect(items.map((i) => i.householdId)).toContain(h.householdId);
    // Nearest due first.
    expect(items.map((i) => i.due)).toEqual([...items.map((i) => i.due)].sort());
    expect(items.every((i) => i.due <= through)).toBe(true);
    const community = await call('qingshi.station1', 'GET', `/town/visits/due?communityId=qingshi-sq&through=${through}&limit=100`);
    expect(community.status, community.text).toBe(200);
    expect((community.json.items as Due[]).some((i) => i.householdId === h.householdId)).toBe(true);
    // Not yet due: not on today's list.
    const now = await call('qingshi.grid1', 'GET', '/town/visits/due?gridId=qs-g1');
    expect((now.json.items as Due[]).some((i) => i.householdId === h.householdId)).toBe(false);
    expect((await counter('GRID#qs-g1')).visit_households).toBeGreaterThan(0);
  });

  it('lists a coordinator’s own grids only, staff their own communities', async () => {
    expect((await call('qingshi.grid1', 'GET', '/town/visits/due?gridId=lh-g1')).json.error?.code).toBe('scope.grid');
    const c = await call('qingshi.grid1', 'GET', '/town/visits/due?communityId=qingshi-sq');
    expect([c.status, c.json.error?.code]).toEqual([403, 'scope.community']);
    expect((await call('qingshi.station1', 'GET', '/town/visits/due?communityId=liuhe-sq')).status).toBe(403);
    expect((await call('qingshi.station1', 'GET', '/town/visits/due?gridId=lh-g1')).status).toBe(403);
    expect((await call('qingshi.auditor', 'GET', '/town/visits/due?communityId=liuhe-sq')).status).toBe(200);
    const both = await call('qingshi.admin', 'GET', '/town/visits/due?gridId=qs-g1&communityId=qingshi-sq');
    expect([both.status, both.json.error?.field]).toEqual([400, 'query.gridId']);
  });

  it('moves a household’s cycle and due when a member’s tags change (elderly living alone: 7 days)', async () => {
    const h = await newHousehold('qs-g1');
    const p = await addPerson('qs-g1', h.householdId);
    expect(await stateOf('qs-g1', h.householdId)).toMatchObject({ cycleDays: 30 });
    const r = await call('qingshi.admin', 'PATCH', `/town/grids/qs-g1/households/${h.householdId}/people/${p.personId}`, {
      version: p.version,
      tags: ['elderly_alone'],
    });
    expect(r.status, r.text).toBe(200);
    const s = await stateOf('qs-g1', h.householdId);
    expect(s).toMatchObject({ cycleDays: 7, drivenBy: ['elderly_alone'], due: addDays(today(), 7), tagCounts: { elderly_alone: 1 } });
    const page = await call('qingshi.grid1', 'GET', `/town/visits/households/qs-g1/${h.householdId}`);
    expect(page.status, page.text).toBe(200);
    expect(page.json).toMatchObject({
      household: { cycleDays: 7, drivenBy: ['elderly_alone'] },
      members: [{ personId: p.personId, tags: ['elderly_alone'] }],
    });
    expect(page.text).not.toContain('idEnc');
  });

  it('moves both households when a person moves between grids', async () => {
    const from = await newHousehold('qs-g1');
    const to = await newHousehold('qs-g2');
    const p = await addPerson('qs-g1', from.householdId, { tags: ['elderly_alone'] });
    expect(await stateOf('qs-g1', from.householdId)).toMatchObject({ cycleDays: 7 });
    const r = await call('qingshi.admin', 'POST', `/town/grids/qs-g1/households/${from.householdId}/people/${p.personId}/moves`, {
      version: p.version,
      kind: 'to_household',
      on: today(),
      toGridId: 'qs-g2',
      toHouseholdId: to.householdId,
    });
    expect(r.status, r.text).toBe(200);
    expect(await stateOf('qs-g1', from.householdId)).toMatchObject({ cycleDays: 30, tagCounts: {} });
    expect(await stateOf('qs-g2', to.householdId)).toMatchObject({ cycleDays: 7, tagCounts: { elderly_alone: 1 } });
  });

  it('records a visit: the due moves, the counters move, an overdue mark is cleared; the same visit twice is stored once', async () => {
    const h = await newHousehold('qs-g1');
    const p = await addPerson('qs-g1', h.householdId, { tags: ['elderly_alone'], phone: '13812345678' });
    // The morning job's mark, as it writes it: the state overdue, counted once.
    const before = (await stateOf('qs-g1', h.householdId)) as Json;
    await inTown(() =>
      commitChange({
        writes: [
          { kind: 'annotate', key: k.visitState('qs-g1', h.householdId), set: { overdue: true }, expect: { version: before.version } },
        ],
        audit: [],
        counters: [
          { key: k.counters('TOWN'), deltas: { visit_overdue: 1 } },
          { key: k.counters('GRID#qs-g1'), deltas: { visit_overdue: 1 } },
        ],
      }),
    );
    const month = `MONTH#${today().slice(0, 7)}`;
    const [town0, grid0, month0] = [await counter('TOWN'), await counter('GRID#qs-g1'), await counter(month)];
    const body = visit('qs-g1', h.householdId, {
      seen: [p.personId],
      checks: ['needs_help'],
      note: '老人说儿子电话13912345678，身份证330523195003030011',
      seenVersion: before.version,
    });
    const first = await call('qingshi.grid1', 'POST', '/town/visits', body);
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ replayed: false, flags: [], by: 'qingshi.grid1', due: addDays(today(), 7), on: today() });
    expect(first.json.note).toBe('老人说儿子电话139****5678，身份证3305**********0011');
    const second = await call('qingshi.grid1', 'POST', '/town/visits', body);
    expect(second.status, second.text).toBe(200);
    expect(second.json).toMatchObject({ replayed: true, visitId: body.visitId, due: addDays(today(), 7) });
    expect(await stateOf('qs-g1', h.householdId)).toMatchObject({ lastVisitOn: today(), overdue: false, lastVisitId: body.visitId });
    const [town1, grid1, month1] = [await counter('TOWN'), await counter('GRID#qs-g1'), await counter(month)];
    expect((town1.visit_overdue ?? 0) - (town0.visit_overdue ?? 0)).toBe(-1);
    expect((grid1.visit_overdue ?? 0) - (grid0.visit_overdue ?? 0)).toBe(-1);
    expect((month1.visits ?? 0) - (month0.visits ?? 0)).toBe(1);
    expect((month1.visits_routine ?? 0) - (month0.visits_routine ?? 0)).toBe(1);
    expect((month1.visits_overdue_cleared ?? 0) - (month0.visits_overdue_cleared ?? 0)).toBe(1);
    const page = await call('qingshi.grid1', 'GET', `/town/visits/households/qs-g1/${h.householdId}`);
    expect((page.json.visits as Json[]).map((v) => v.visitId)).toEqual([body.visitId]);
    const mine = await call('qingshi.grid1', 'GET', '/town/visits?limit=5');
    expect(mine.status, mine.text).toBe(200);
    expect((mine.json.items as Json[])[0]).toMatchObject({ visitId: body.visitId });
    // Someone else replaying the id is refused rather than shown another's visit.
    expect((await call('qingshi.admin', 'POST', '/town/visits', body)).json.error?.code).toBe('visit.exists');
  });

  it('stores a visit to a household that changed since the device saw it, flagged', async () => {
    const h = await newHousehold('qs-g1');
    const seen = (await stateOf('qs-g1', h.householdId)) as Json;
    await addPerson('qs-g1', h.householdId, { tags: ['disabled'] });
    const r = await call('qingshi.grid1', 'POST', '/town/visits', visit('qs-g1', h.householdId, { seenVersion: seen.version }));
    expect(r.status, r.text).toBe(201);
    expect(r.json.flags).toEqual(['household_changed']);
  });

  it('keeps a visit naming someone who moved out since the device read the household, flagged', async () => {
    const h = await newHousehold('qs-g1');
    const other = await newHousehold('qs-g1');
    const p = await addPerson('qs-g1', h.householdId);
    const seen = (await stateOf('qs-g1', h.householdId)) as Json;
    const moved = await call('qingshi.admin', 'POST', `/town/grids/qs-g1/households/${h.householdId}/people/${p.personId}/moves`, {
      version: p.version,
      kind: 'to_household',
      on: today(),
      toGridId: 'qs-g1',
      toHouseholdId: other.householdId,
    });
    expect(moved.status, moved.text).toBe(200);
    const r = await call(
      'qingshi.grid1',
      'POST',
      '/town/visits',
      visit('qs-g1', h.householdId, { seen: [p.personId], seenVersion: seen.version }),
    );
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ flags: ['household_changed'], seen: [p.personId] });
    // Without a stale view, a stranger is refused.
    const fresh = (await stateOf('qs-g1', h.householdId)) as Json;
    const bad = await call(
      'qingshi.grid1',
      'POST',
      '/town/visits',
      visit('qs-g1', h.householdId, { seen: [p.personId], seenVersion: fresh.version }),
    );
    expect([bad.status, bad.json.error?.field]).toEqual([422, 'body.seen']);
  });

  it('keeps a visit to a closed household, flagged, moving no due', async () => {
    const h = await newHousehold('qs-g1');
    const households0 = (await counter('GRID#qs-g1')).visit_households ?? 0;
    const closed = await call('qingshi.admin', 'POST', `/town/grids/qs-g1/households/${h.householdId}/close`, {
      version: h.version,
      reason: 'dissolved',
      on: today(),
    });
    expect(closed.status, closed.text).toBe(200);
    expect(await stateOf('qs-g1', h.householdId)).toBeUndefined();
    expect((await counter('GRID#qs-g1')).visit_households).toBe(households0 - 1);
    const r = await call('qingshi.grid1', 'POST', '/town/visits', visit('qs-g1', h.householdId, { seenVersion: 1 }));
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ flags: ['household_closed'] });
    expect(r.json.due).toBeUndefined();
    expect(await stateOf('qs-g1', h.householdId)).toBeUndefined();
  });

  it('refuses bad input with a code and the field', async () => {
    const h = await newHousehold('qs-g1');
    const refusal = async (over: Record<string, unknown>, who = 'qingshi.grid1') => {
      const r = await call(who, 'POST', '/town/visits', visit('qs-g1', h.householdId, over));
      return [r.status, r.json.error?.code, r.json.error?.field];
    };
    expect(await refusal({ kind: 'party' })).toEqual([400, expect.any(String), 'body.kind']);
    expect(await refusal({ checks: ['abnormal_behaviour'] })).toEqual([400, 'visit.check', 'body.checks']);
    expect(await refusal({ seen: ['p-nobody'] })).toEqual([422, 'visit.seen', 'body.seen']);
    expect(await refusal({ visitedAt: new Date(Date.now() + 3600_000).toISOString() })).toEqual([422, 'visit.in_future', 'body.visitedAt']);
    expect(await refusal({ visitedAt: new Date(Date.now() - 15 * 86_400_000).toISOString() })).toEqual([
      422,
      'visit.too_old',
      'body.visitedAt',
    ]);
    expect(await refusal({ note: 'x'.repeat(501) })).toEqual([400, expect.any(String), 'body.note']);
    expect(await refusal({ gridId: 'lh-g1' })).toEqual([403, 'scope.grid', undefined]);
    expect(await refusal({}, 'qingshi.auditor')).toEqual([403, expect.any(String), undefined]);
    const missing = await call('qingshi.grid1', 'POST', '/town/visits', visit('qs-g1', 'h-nobody'));
    expect([missing.status, missing.json.error?.code]).toEqual([404, 'household.not_found']);
  });
});
