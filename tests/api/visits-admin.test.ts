import { commitChange, getItem, runInScope, townKeys, townPrefix } from '@gridline/data';
import { scanAll } from '@gridline/data/admin';
import { cyclesRunOf, dueIndexOf, runVisitCycles } from '@gridline/data/visits/backfill';
import { visitCyclesAdminOf } from '@gridline/data/visits/cycles';
import { remindTown } from '@gridline/data/visits/reminders';
import { addDays, periodContaining, visitDay } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { apiStack } from '../support/api';
import { testIdNumber } from '../support/ids';
import { recountMetrics } from '../support/recount';

// Visits, administration (issue 14) through the API against DynamoDB Local and the demo county
// (qingshi: grid1 coordinates qs-g1, grid2 qs-g2, both in qingshi-sq whose staff is station1; station2
// is another community's staff).

const TOWN = 'qingshi';
const { call } = apiStack([
  'qingshi.admin',
  'qingshi.grid1',
  'qingshi.grid2',
  'qingshi.station1',
  'qingshi.station2',
  'qingshi.auditor',
  'county.admin',
]);
const admin = {
  kind: 'town' as const,
  townId: TOWN,
  userId: 'qingshi.admin',
  username: 'qingshi.admin',
  role: 'town_admin' as const,
  scope: { communities: [], grids: [], permissions: ['key_groups'] },
};
const inTown = <T>(fn: () => Promise<T>) =>
  runInScope({ requestId: 'test-visits-admin', tenant: TOWN, allowedPrefixes: [townPrefix(TOWN)] }, fn);
const wait = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));
const k = townKeys(TOWN);

let seq = 100;
/** A household in a grid with one person (tags as given), made through the book's routes. */
async function household(gridId: string, tags: string[] = [], phone?: string) {
  const h = await call('qingshi.admin', 'POST', `/town/grids/${gridId}/households`, { door: `${seq}室` });
  expect(h.status, h.text).toBe(201);
  const householdId = String(h.json.householdId);
  seq += 2;
  const p = await call('qingshi.admin', 'POST', `/town/grids/${gridId}/households/${householdId}/people`, {
    name: '周桂兰',
    gender: 'female',
    idNumber: testIdNumber('330523', '1941-03-08', seq),
    relation: '户主',
    residenceType: 'registered',
    tags,
    keyTags: [],
    ...(phone ? { phone } : {}),
  });
  expect(p.status, p.text).toBe(201);
  return { gridId, householdId, personId: String(p.json.personId) };
}
const stateOf = (gridId: string, householdId: string) =>
  inTown(() => getItem<Record<string, unknown>>(k.visitState(gridId, householdId), { consistent: true }));
const counters = async (scope: string) =>
  (await inTown(() => getItem<Record<string, number>>(k.counters(scope), { consistent: true }))) ?? {};

type CyclesView = { version: number; householdDays: number; byTag: Record<string, number>; recompute?: { runId: string; status: string } };

async function recomputed(): Promise<CyclesView> {
  for (let i = 0; i < 400; i++) {
    const v = (await call('qingshi.admin', 'GET', '/town/visit-cycles')).json as unknown as CyclesView;
    if (v.recompute?.status === 'done') return v;
    await wait(25);
  }
  throw new Error('the recompute did not finish');
}

describe('visit cycles', () => {
  it('saves at the version read (stale → 409), keeps the history, and the job moves a household’s due (elderly_alone 7 → 5)', async () => {
    const h = await household('qs-g1', ['elderly_alone']);
    const first = (await call('qingshi.admin', 'GET', '/town/visit-cycles')).json as unknown as CyclesView & {
      tags: Array<{ id: string }>;
    };
    expect(first).toMatchObject({ householdDays: 30, byTag: { elderly_alone: 7 } });
    expect(first.tags.map((t) => t.id)).toContain('elderly_alone');
    // The cycles as they stand on the first save: a recompute makes the states of households that predate visits.
    const save = (version: number, byTag: Record<string, number>) =>
      call('qingshi.admin', 'PUT', '/town/visit-cycles', { version, householdDays: 30, byTag });
    const r0 = await save(first.version, first.byTag);
    expect(r0.status, r0.text).toBe(200);
    await recomputed();
    const before = await stateOf(h.gridId, h.householdId);
    expect(before).toMatchObject({ cycleDays: 7, drivenBy: ['elderly_alone'], overdue: false });
    expect(before?.due).toBe(addDays(String(before?.lastVisitOn ?? before?.since), 7));

    const r1 = await save(first.version + 1, { ...first.byTag, elderly_alone: 5 });
    expect(r1.status, r1.text).toBe(200);
    expect(r1.json).toMatchObject({ version: first.version + 2, byTag: { elderly_alone: 5 } });
    const stale = await save(first.version + 1, { ...first.byTag, elderly_alone: 6 });
    expect([stale.status, stale.json.error?.code, stale.json.error?.field]).toEqual([409, 'visit.cycles_changed', 'body.version']);
    expect((await call('qingshi.grid1', 'PUT', '/town/visit-cycles', { version: 2, householdDays: 30, byTag: {} })).status).toBe(403);
    const bad = await save(first.version + 2, { astronaut: 3 });
    expect([bad.status, bad.json.error?.field]).toEqual([422, 'body.byTag.astronaut']);

    await recomputed();
    const after = await stateOf(h.gridId, h.householdId);
    expect(after).toMatchObject({ cycleDays: 5, drivenBy: ['elderly_alone'], version: before?.version });
    expect(after?.due).toBe(addDays(String(after?.lastVisitOn ?? after?.since), 5));
    expect(after?.gsi2sk).toBe(`${String(after?.due)}#${h.householdId}`);

    const history = (await call('qingshi.grid1', 'GET', '/town/visit-cycles/history')).json as unknown as {
      items: Array<{ version: number; byTag: Record<string, number>; by: string }>;
    };
    expect(history.items.slice(0, 2)).toMatchObject([
      { version: first.version + 2, byTag: { elderly_alone: 5 }, by: 'qingshi.admin' },
      { version: first.version + 1, byTag: { elderly_alone: 7 } },
    ]);
  });

  it('resumes a recompute whose runner stopped midway, from the grid it reached, exactly once', async () => {
    const homes = [await household('qs-g2', ['disabled']), await household('qs-g3', ['disabled'])];
    const now = new Date().toISOString();
    const current = await inTown(() => visitCyclesAdminOf(admin).get());
    const { runId } = await inTown(() =>
      visitCyclesAdminOf(admin).save({ version: current.version, householdDays: 30, byTag: { ...current.byTag, disabled: 10 } }, now),
    );
    const policy = { leaseMs: 400, maxAttempts: 3 };
    // The first runner freezes for good after its first grid (as a crashed or paused process would).
    let frozen: () => void = () => undefined;
    const froze = new Promise<void>((ok) => (frozen = ok));
    let thaw: () => void = () => undefined;
    const sleep = () => {
      frozen();
      return new Promise<void>((ok) => (thaw = ok));
    };
    const first = inTown(() => runVisitCycles(TOWN, runId, now, { owner: 'first', policy, sleep }));
    await froze;
    const halfway = await inTown(() => cyclesRunOf(TOWN, runId));
    expect(halfway).toMatchObject({ status: 'running', leaseOwner: 'first', attempts: 1, progress: { gridsDone: 1 } });

    // The sweeper leaves a live lease alone, then restarts the run once it has expired.
    const { runSweep } = await import('../../functions/src/jobs/sweep');
    const started: unknown[] = [];
    const capture = async (job: unknown) => void started.push(job);
    expect((await runSweep(new Date().toISOString(), TOWN, capture)).started).toEqual([]);
    await wait(policy.leaseMs + 100);
    const sweep = await runSweep(new Date().toISOString(), TOWN, capture);
    expect(sweep.started).toEqual([{ town: TOWN, kind: 'visit-cycles', runId, why: 'take' }]);
    expect(started).toEqual([{ job: 'visit-cycles', town: TOWN, runId }]);

    const second = await inTown(() => runVisitCycles(TOWN, runId, now, { owner: 'second', policy, sleep: async () => undefined }));
    const grids = (await scanAll()).filter((i) => i.pk === k.orgPk && i.type === 'Grid' && i.status !== 'retired').length;
    expect(second).toMatchObject({ status: 'done', attempts: 2, progress: { gridsDone: grids } });
    for (const h of homes) expect(await stateOf(h.gridId, h.householdId)).toMatchObject({ cycleDays: 10, drivenBy: ['disabled'] });
    // The stopped runner wakes up: its renewal finds the lease gone and it stops without harm.
    thaw();
    expect(await first).toMatchObject({ status: 'done', attempts: 2 });
    expect((await runSweep(new Date().toISOString(), TOWN, capture)).started).toEqual([]);
  });
});

describe('the morning reminders', () => {
  it('mark a newly overdue household once (counters +1 once), build the coordinator’s reminder and tell them once a day', async () => {
    const h = await household('qs-g1');
    const current = await inTown(() => visitCyclesAdminOf(admin).get());
    const { runId } = await inTown(() =>
      visitCyclesAdminOf(admin).save({ version: current.version, householdDays: 30, byTag: current.byTag }, new Date().toISOString()),
    );
    await inTown(() => runVisitCycles(TOWN, runId, new Date().toISOString(), { sleep: async () => undefined }));
    // Its due three days back, as if nobody had come for a cycle.
    const state = await stateOf(h.gridId, h.householdId);
    const today = visitDay(new Date());
    const due = addDays(today, -3);
    await inTown(() =>
      commitChange({
        writes: [
          {
            kind: 'annotate',
            key: k.visitState(h.gridId, h.householdId),
            set: {
              due,
              ...dueIndexOf(TOWN, { gridId: h.gridId, communityId: String(state?.communityId), householdId: h.householdId, due }),
            },
            expect: { version: state?.version },
          },
        ],
        audit: [],
      }),
    );
    const [town0, grid0] = [await counters('TOWN'), await counters('GRID#qs-g1')];
    const first = await inTown(() => remindTown(TOWN, new Date().toISOString()));
    expect(first.marked).toBeGreaterThanOrEqual(1);
    const [town1, grid1] = [await counters('TOWN'), await counters('GRID#qs-g1')];
    expect((town1.visit_overdue ?? 0) - (town0.visit_overdue ?? 0)).toBe(first.marked);
    expect((grid1.visit_overdue ?? 0) - (grid0.visit_overdue ?? 0)).toBeGreaterThanOrEqual(1);
    expect(await stateOf(h.gridId, h.householdId)).toMatchObject({ overdue: true, due });

    const again = await inTown(() => remindTown(TOWN, new Date().toISOString()));
    expect(again).toMatchObject({ marked: 0, notified: 0 });
    expect(await counters('TOWN')).toMatchObject({ visit_overdue: town1.visit_overdue });

    const reminder = await call('qingshi.grid1', 'GET', '/town/visits/reminder');
    expect(reminder.status).toBe(200);
    expect(reminder.json).toMatchObject({ on: today });
    expect(Number(reminder.json.overdue)).toBeGreaterThanOrEqual(1);
    const notes = (await scanAll()).filter((i) => i.pk === k.notificationsPk('qingshi.grid1') && i.kind === 'visits_due');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ on: today, overdue: reminder.json.overdue });
    const bell = await call('qingshi.grid1', 'GET', '/town/notifications');
    expect(bell.status, bell.text).toBe(200);
    // Someone who answers for no grid with anything due has a reminder of zeros, never an error.
    expect((await call('qingshi.station2', 'GET', '/town/visits/reminder')).json).toMatchObject({ dueToday: 0, overdue: 0 });
  });
});

describe('coverage', () => {
  it('answers from the counters, equal to a recount of the visit states, per community and per grid', async () => {
    const mine = (await scanAll()).filter((i) => String(i.pk).startsWith(townPrefix(TOWN)) && i.type === 'VisitState');
    const count = (pred: (s: Record<string, unknown>) => boolean) => {
      const here = mine.filter(pred);
      return { households: here.length, overdue: here.filter((s) => s.overdue === true).length };
    };
    const town = await call('qingshi.admin', 'GET', '/town/visit-coverage');
    expect(town.status, town.text).toBe(200);
    const body = town.json as unknown as {
      town: { households: number; overdue: number; covered: number; share: number };
      rows: Array<{ placeId: string; placeKind: string; households: number; overdue: number }>;
    };
    expect(body.town).toMatchObject(count(() => true));
    expect(body.town.households).toBeGreaterThan(0);
    expect(body.town.share).toBeCloseTo(body.town.covered / body.town.households);
    for (const row of body.rows) expect([row.placeId, row]).toMatchObject([row.placeId, count((s) => s.communityId === row.placeId)]);
    const community = await call('qingshi.station1', 'GET', '/town/visit-coverage?communityId=qingshi-sq');
    expect(community.status, community.text).toBe(200);
    const rows = (community.json as unknown as typeof body).rows;
    expect(rows.map((r) => r.placeKind)).toEqual(rows.map(() => 'grid'));
    for (const row of rows) expect([row.placeId, row]).toMatchObject([row.placeId, count((s) => s.gridId === row.placeId)]);
    expect((await call('qingshi.station2', 'GET', '/town/visit-coverage?communityId=qingshi-sq')).status).toBe(403);
    const coordinator = (await call('qingshi.grid1', 'GET', '/town/visit-coverage')).json as unknown as typeof body;
    expect(coordinator.rows.map((r) => [r.placeKind, r.placeId])).toEqual([['grid', 'qs-g1']]);
    expect(coordinator.rows[0]).toMatchObject(count((s) => s.gridId === 'qs-g1'));
  });

  it('rolls up to the county equal to an independent recount of the records', async () => {
    const period = periodContaining(new Date().toISOString(), 'month');
    const run = await call('county.admin', 'POST', '/admin/rollups/run', { period });
    expect(run.status, run.text).toBe(200);
    const view = (await call('county.admin', 'GET', `/admin/rollups?period=${period}`)).json as unknown as {
      towns: Array<{ townId: string; metrics: Record<string, number> }>;
    };
    const m = view.towns.find((t) => t.townId === TOWN)?.metrics ?? {};
    expect(m).toEqual(await recountMetrics(TOWN, period));
    expect(m.visit_households).toBeGreaterThan(0);
    expect(m.visit_overdue).toBeGreaterThanOrEqual(1);
  });
});

describe('book corrections', () => {
  it('a coordinator proposes a new phone (masked, never stored in clear); the community’s staff accepts it into the book', async () => {
    const h = await household('qs-g1', [], '13900001111');
    const phone = '13766668888';
    const r = await call('qingshi.grid1', 'POST', '/town/book-corrections', { kind: 'phone', ...h, phone, note: '本人新号码13766668888' });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ status: 'open', kind: 'phone', phoneMasked: '137****8888', communityId: 'qingshi-sq', version: 1 });
    expect(r.text).not.toContain(phone);
    expect(JSON.stringify(await scanAll())).not.toContain(phone);

    // Out of scope: another grid's coordinator cannot propose; another community's staff cannot see or decide it.
    expect((await call('qingshi.grid2', 'POST', '/town/book-corrections', { kind: 'phone', ...h, phone })).status).toBe(403);
    const id = String(r.json.correctionId);
    const path = `/town/book-corrections/${id}/decision`;
    expect((await call('qingshi.station2', 'POST', path, { version: 1, decision: 'accept' })).status).toBe(404);
    expect((await call('qingshi.grid1', 'POST', path, { version: 1, decision: 'accept' })).status).toBe(403);
    const open = (await call('qingshi.station2', 'GET', '/town/book-corrections')).json as unknown as {
      items: Array<{ correctionId: string }>;
    };
    expect(open.items.map((c) => c.correctionId)).not.toContain(id);
    const list = (await call('qingshi.station1', 'GET', '/town/book-corrections?status=open')).json as unknown as {
      items: Array<{ correctionId: string }>;
    };
    expect(list.items.map((c) => c.correctionId)).toContain(id);

    const stale = await call('qingshi.station1', 'POST', path, { version: 2, decision: 'accept' });
    expect([stale.status, stale.json.error?.code]).toEqual([409, 'correction.changed']);
    const accepted = await call('qingshi.station1', 'POST', path, { version: 1, decision: 'accept' });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json).toMatchObject({ status: 'accepted', decidedBy: 'qingshi.station1', version: 2 });
    const person = await call('qingshi.station1', 'GET', `/town/grids/${h.gridId}/households/${h.householdId}/people/${h.personId}`);
    expect(person.json).toMatchObject({ person: { phoneMasked: '137****8888', version: 2 } });
    expect((person.json.events as Array<{ kind: string }>).map((e) => e.kind)).toContain('changed');
    const twice = await call('qingshi.station1', 'POST', path, { version: 2, decision: 'reject' });
    expect([twice.status, twice.json.error?.code]).toEqual([409, 'correction.decided']);
  });

  it('a rejected correction leaves the book alone; an accepted move closes the person through the book', async () => {
    const h = await household('qs-g1');
    const proposed = await call('qingshi.grid1', 'POST', '/town/book-corrections', { kind: 'moved_away', ...h });
    expect(proposed.status, proposed.text).toBe(201);
    const other = await call('qingshi.grid1', 'POST', '/town/book-corrections', { kind: 'died', ...h });
    const rejected = await call('qingshi.admin', 'POST', `/town/book-corrections/${String(other.json.correctionId)}/decision`, {
      version: 1,
      decision: 'reject',
      reason: '核实本人健在',
    });
    expect(rejected.json).toMatchObject({ status: 'rejected', reason: '核实本人健在' });
    const path = `/town/grids/${h.gridId}/households/${h.householdId}/people/${h.personId}`;
    expect((await call('qingshi.admin', 'GET', path)).json).toMatchObject({ person: { status: 'active', version: 1 } });
    const accepted = await call('qingshi.station1', 'POST', `/town/book-corrections/${String(proposed.json.correctionId)}/decision`, {
      version: 1,
      decision: 'accept',
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect((await call('qingshi.admin', 'GET', path)).json).toMatchObject({ person: { status: 'closed', closedReason: 'moved_away' } });
    const missing = await call('qingshi.grid1', 'POST', '/town/book-corrections', {
      kind: 'died',
      gridId: 'qs-g1',
      householdId: h.householdId,
    });
    expect([missing.status, missing.json.error?.field]).toEqual([400, 'body.personId']);
  });
});
