import { mattersOf, superviseTown } from '@gridline/data/matters';
import { injectFault, runInScope, townPrefix } from '@gridline/data';
import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodContaining } from '@gridline/domain';
import { recountMetrics } from '../support/recount';
import { transactionConflict } from '../support/faults';
import { startTestStack, type TestStack } from '../support/stack';

// Matters (issue 13) through the API: the ladder end to end, concurrency, queues and supervision,
// against DynamoDB Local with the demo county (qingshi: grid1 coordinates qs-g1 in qingshi-sq,
// station1 is that community's staff, admin the town's).

let stack: TestStack;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  for (const u of [
    'qingshi.grid1',
    'qingshi.grid2',
    'qingshi.grid3',
    'qingshi.station1',
    'qingshi.station2',
    'qingshi.admin',
    'taoyuan.admin',
  ])
    tokens[u] = await stack.token(u);
});
afterAll(() => stack.close());

const as = (user: string) => ({
  post: (path: string, body: unknown, headers?: Record<string, string>) =>
    stack.call('POST', path, { token: tokens[user] as string, body, ...(headers ? { headers } : {}) }),
  put: (path: string, body: unknown) => stack.call('PUT', path, { token: tokens[user] as string, body }),
  get: (path: string) => stack.call('GET', path, { token: tokens[user] as string }),
});

type Detail = {
  matter: {
    matterId: string;
    version: number;
    status: string;
    level: string;
    reopens: number;
    raisedAt: string;
    reporter: Record<string, string>;
  };
  clock: { kind: string | null; due: string | null; state: string | null };
  timeline: Array<{ kind: string; actor: string; level: string }>;
  allowed: string[];
};
type Page = { items: Array<{ matterId: string; status: string; level: string; due: string | null }>; nextCursor: string | null };
type Err = { error: { code: string; field?: string }; current?: Detail };

const intake = {
  categoryId: 'sanitation',
  gridId: 'qs-g1',
  description: '青石小区3栋楼道堆放杂物，堵塞消防通道',
  reporter: { name: '李阿姨', phone: '13912345678' },
  urgency: 'normal' as const,
  channel: 'coordinator' as const,
};

async function raise(body: Record<string, unknown> = intake, user = 'qingshi.grid1'): Promise<Detail> {
  const r = await as(user).post('/town/matters', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Detail;
}
async function act(user: string, d: Detail, action: Record<string, unknown>): Promise<Detail> {
  const r = await as(user).post(`/town/matters/${d.matter.matterId}/actions`, { ...action, version: d.matter.version });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Detail;
}

describe('matters (issue 13)', () => {
  it('seeds the demo town with matters in every state, some red on the board after the supervision run', async () => {
    const board = (await as('qingshi.admin').get('/town/matter-board')).body as {
      red: Array<{ matterId: string }>;
      transferred: number;
      awaitingVisit: number;
      supervisedAt: string | null;
    };
    expect(board.red.length).toBeGreaterThanOrEqual(2);
    expect(board.transferred).toBeGreaterThanOrEqual(1);
    expect(board.awaitingVisit).toBeGreaterThanOrEqual(1);
    expect(board.supervisedAt).not.toBeNull();
    const all = (await as('qingshi.admin').get('/town/matters?queue=grid&gridId=qs-g1&limit=100')).body as Page;
    expect(new Set(all.items.map((m) => m.status))).toEqual(new Set(['open', 'accepted', 'transferred', 'resolved', 'closed', 'merged']));
    const levels = new Set(all.items.filter((m) => m.status === 'open' || m.status === 'accepted').map((m) => m.level));
    expect(levels).toEqual(new Set(['grid', 'community']));
  });

  it('climbs the ladder: raised at the grid, escalated, resolved at the community, reopened by a dissatisfied visit, closed', async () => {
    let d = await raise();
    expect(d.matter).toMatchObject({ status: 'open', level: 'grid', version: 1 });
    expect(d.matter.reporter).toEqual({ name: '李阿姨', phoneMasked: expect.stringMatching(/^139\*+5678$/) });
    expect(JSON.stringify(d)).not.toContain('13912345678');
    expect(d.clock).toMatchObject({ kind: 'accept', state: expect.any(String) });
    expect(d.allowed).toEqual(expect.arrayContaining(['accept', 'send_back'].filter((a) => a !== 'send_back')));

    d = await act('qingshi.grid1', d, { action: 'accept' });
    d = await act('qingshi.grid1', d, { action: 'escalate', reason: '需要社区协调物业清理' });
    expect(d.matter).toMatchObject({ status: 'open', level: 'community' });
    // The coordinator no longer acts on it; the community's staff do.
    expect(d.allowed).toEqual([]);
    const station = (await as('qingshi.station1').get(`/town/matters/${d.matter.matterId}`)).body as Detail;
    expect(station.allowed).toContain('accept');
    d = await act('qingshi.station1', station, { action: 'accept' });
    d = await act('qingshi.station1', d, { action: 'resolve', resolution: '已联系物业清理完毕' });
    expect(d.matter.status).toBe('resolved');
    d = await act('qingshi.station1', d, {
      action: 'return_visit',
      reachedBy: 'phone',
      satisfaction: 'dissatisfied',
      reason: '杂物只清理了一半',
    });
    expect(d.matter).toMatchObject({ status: 'open', level: 'community', reopens: 1 });
    d = await act('qingshi.station1', d, { action: 'accept' });
    d = await act('qingshi.station1', d, { action: 'resolve', resolution: '全部清理，已加装提示牌' });
    d = await act('qingshi.station1', d, { action: 'return_visit', reachedBy: 'in_person', satisfaction: 'satisfied' });
    expect(d.matter.status).toBe('closed');
    const full = (await as('qingshi.admin').get(`/town/matters/${d.matter.matterId}`)).body as Detail;
    expect(full.timeline.map((e) => e.kind)).toEqual([
      'raised',
      'accepted',
      'escalated',
      'accepted',
      'resolved',
      'return_visit',
      'reopened',
      'accepted',
      'resolved',
      'return_visit',
      'closed',
    ]);
  });

  it('answers a stale version with 409 and the matter as it stands; two users at once: one wins', async () => {
    const d = await raise();
    const [a, b] = await Promise.all([
      as('qingshi.grid1').post(`/town/matters/${d.matter.matterId}/actions`, { action: 'accept', version: 1 }),
      as('qingshi.grid1').post(`/town/matters/${d.matter.matterId}/actions`, { action: 'accept', version: 1, note: '我来处理' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[1]).toBe(409);
    const lost = (a.status === 409 ? a : b).body as Err;
    expect(lost.error.code).toBe('matter.version_conflict');
    expect(lost.current?.matter.version).toBeGreaterThanOrEqual(1);
    const now = (await as('qingshi.grid1').get(`/town/matters/${d.matter.matterId}`)).body as Detail;
    expect(lost.current?.matter.version).toBe(now.matter.version);
  });

  it('retries a transaction DynamoDB cancels for a conflict (injected: DynamoDB Local never raises one); the action lands once', async () => {
    const d = await raise();
    const conflict = transactionConflict;
    let left = 2;
    let tries = 0;
    const remove = injectFault((op) => {
      if (op !== 'TransactWriteItems') return undefined;
      tries++;
      return left-- > 0 ? conflict() : undefined;
    });
    let accepted: Detail;
    try {
      accepted = await act('qingshi.grid1', d, { action: 'accept' });
    } finally {
      remove();
    }
    expect(tries).toBe(3);
    expect(accepted.matter.version).toBe(2);
    const read = (await as('qingshi.grid1').get(`/town/matters/${d.matter.matterId}`)).body as Detail;
    expect(read.timeline.filter((e) => e.kind === 'accepted')).toHaveLength(1);
    // Conflicts that never clear: 409 conflict.busy, nothing written.
    const stuck = injectFault((op) => (op === 'TransactWriteItems' ? conflict() : undefined));
    let res: Awaited<ReturnType<TestStack['call']>>;
    try {
      res = await as('qingshi.grid1').post(`/town/matters/${d.matter.matterId}/actions`, {
        action: 'escalate',
        version: 2,
        reason: '需要社区协调',
      });
    } finally {
      stuck();
    }
    expect(res.status).toBe(409);
    expect((res.body as Err).error.code).toBe('conflict.busy');
    expect(((await as('qingshi.grid1').get(`/town/matters/${d.matter.matterId}`)).body as Detail).matter.version).toBe(2);
  });

  it('refuses what the ladder refuses, with codes and fields, and hides matters outside the scope', async () => {
    const d = await raise();
    const wrong = await as('qingshi.grid1').post(`/town/matters/${d.matter.matterId}/actions`, {
      action: 'resolve',
      resolution: '处理完毕',
      version: 1,
    });
    expect(wrong.status).toBe(409);
    expect((wrong.body as Err).error.code).toBe('matter.wrong_status');
    // Another grid's coordinator, another town's admin: no such matter.
    expect((await as('qingshi.grid2').get(`/town/matters/${d.matter.matterId}`)).status).toBe(404);
    expect((await as('taoyuan.admin').get(`/town/matters/${d.matter.matterId}`)).status).toBe(404);
    const bad = await as('qingshi.grid1').post('/town/matters', { ...intake, categoryId: 'nope' });
    expect(bad.status).toBe(422);
    expect((bad.body as Err).error).toMatchObject({ code: 'matter.unknown_category', field: 'body.categoryId' });
    const outside = await as('qingshi.grid1').post('/town/matters', { ...intake, gridId: 'lh-g1' });
    expect(outside.status).toBe(403);
    const hotline = await as('qingshi.grid1').post('/town/matters', { ...intake, channel: 'hotline' });
    expect(hotline.status).toBe(400);
    // The place and the reporter must be of the book, in the matter's grid.
    const yard = await as('qingshi.grid1').post('/town/matters', { ...intake, courtyardId: 'lh-g1-y1' });
    expect((yard.body as Err).error).toMatchObject({ code: 'matter.unknown_courtyard', field: 'body.courtyardId' });
    const own = await as('qingshi.grid1').post('/town/matters', { ...intake, courtyardId: 'qs-g1-y1' });
    expect(own.status).toBe(201);
    const household = await as('qingshi.grid1').post('/town/matters', { ...intake, householdId: 'h-nope' });
    expect((household.body as Err).error).toMatchObject({ code: 'matter.unknown_household', field: 'body.householdId' });
    const stranger = await as('qingshi.grid1').post('/town/matters', { ...intake, reporter: { personId: 'p-nope' } });
    expect((stranger.body as Err).error).toMatchObject({ code: 'matter.unknown_person', field: 'body.reporter.personId' });
  });

  it('keeps each queue on its index: mine, the level, awaiting the visit, by grid, by category, overdue', async () => {
    const d = await raise({ ...intake, gridId: 'qs-g2', description: '路灯不亮' }, 'qingshi.grid2');
    const level = (await as('qingshi.grid2').get('/town/matters?queue=level&level=grid&place=qs-g2')).body as Page;
    expect(level.items.map((i) => i.matterId)).toContain(d.matter.matterId);
    const accepted = await act('qingshi.grid2', d, { action: 'accept' });
    const mine = (await as('qingshi.grid2').get('/town/matters?queue=mine')).body as Page;
    expect(mine.items.map((i) => i.matterId)).toContain(d.matter.matterId);
    const resolved = await act('qingshi.grid2', accepted, { action: 'resolve', resolution: '已报修更换灯泡' });
    const visit = (await as('qingshi.grid2').get('/town/matters?queue=visit&level=grid&place=qs-g2')).body as Page;
    expect(visit.items.map((i) => i.matterId)).toContain(resolved.matter.matterId);
    const mineAfter = (await as('qingshi.grid2').get('/town/matters?queue=mine')).body as Page;
    expect(mineAfter.items.map((i) => i.matterId)).not.toContain(d.matter.matterId);
    const byGrid = (await as('qingshi.station1').get('/town/matters?queue=grid&gridId=qs-g2')).body as Page;
    expect(byGrid.items.find((i) => i.matterId === d.matter.matterId)?.status).toBe('resolved');
    const byCat = (await as('qingshi.admin').get('/town/matters?queue=category&categoryId=sanitation')).body as Page;
    expect(byCat.items.length).toBeGreaterThan(0);
    // Outside the scope: another grid's level queue, the town-wide lists for a coordinator.
    expect((await as('qingshi.grid2').get('/town/matters?queue=level&level=grid&place=qs-g1')).status).toBe(403);
    expect((await as('qingshi.grid2').get('/town/matters?queue=overdue')).status).toBe(403);
    expect((await as('qingshi.grid2').get('/town/matters?queue=level&level=grid')).status).toBe(400);
    const overdue = await as('qingshi.admin').get('/town/matters?queue=overdue');
    expect(overdue.status).toBe(200);
  });

  it('supervises: a matter past its due turns red once, with a 督办 entry and notifications; a rerun changes nothing', async () => {
    const d = await raise({ ...intake, gridId: 'qs-g3', categoryId: 'safety', description: '燃气管道疑似泄漏' }, 'qingshi.grid3');
    // Ten working days later (safety: accept within 2 working hours), as the job would see it.
    const later = new Date(Date.parse(d.matter.raisedAt) + 20 * 86_400_000).toISOString();
    const run = () =>
      runInScope({ requestId: 'test-supervision', tenant: 'qingshi', allowedPrefixes: [townPrefix('qingshi')] }, () =>
        superviseTown('qingshi', later),
      );
    const first = await run();
    expect(first.marked).toBeGreaterThanOrEqual(1);
    const after = (await as('qingshi.admin').get(`/town/matters/${d.matter.matterId}`)).body as Detail;
    const supervised = after.timeline.filter((e) => e.kind === 'supervised');
    expect(supervised).toHaveLength(1);
    // The version did not move: the coordinator's next action is not a conflict.
    expect(after.matter.version).toBe(1);
    const second = await run();
    expect(second.marked).toBe(0);
    const again = (await as('qingshi.admin').get(`/town/matters/${d.matter.matterId}`)).body as Detail;
    expect(again.timeline.filter((e) => e.kind === 'supervised')).toHaveLength(1);
    const notes = (await as('qingshi.grid3').get('/town/notifications')).body as { items: Array<{ matterId: string; state: string }> };
    expect(notes.items.filter((n) => n.matterId === d.matter.matterId)).toEqual([expect.objectContaining({ state: 'red' })]);
    const boss = (await as('qingshi.station1').get('/town/notifications')).body as { items: Array<{ matterId: string; as: string }> };
    expect(boss.items.find((n) => n.matterId === d.matter.matterId)?.as).toBe('level_above');
    await act('qingshi.grid3', after, { action: 'accept' });
  });

  it('counts a deadline into 2027 by weekends only until county IT enters 2027, then by its holidays', async () => {
    const grid1 = {
      kind: 'town' as const,
      userId: 'qingshi.grid1',
      username: 'qingshi.grid1',
      role: 'grid_coordinator' as const,
      townId: 'qingshi',
      scope: { communities: ['qingshi-sq'], grids: ['qs-g1'] },
    };
    const inTown = <T>(fn: () => Promise<T>) =>
      runInScope({ requestId: 'test-calendar', tenant: 'qingshi', allowedPrefixes: [townPrefix('qingshi')] }, fn);
    // Raised on Wednesday 30 December 2026 at 10:00 in China, accepted at once: five working days to resolve.
    const at = '2026-12-30T02:00:00.000Z';
    const raised = await inTown(() => mattersOf(grid1).raise({ ...intake, description: '年末排查：楼道堆物' }, at));
    const accepted = await inTown(() => mattersOf(grid1).act(raised.matter.matterId, { action: 'accept', version: 1 }, at));
    // Without 2027: 31 Dec, 1 (a Friday, not known as New Year's Day), 4, 5, 6 January.
    expect(accepted.clock).toMatchObject({ due: '2027-01-06T09:30:00.000Z', withoutCalendar: [2027] });
    const county = await stack.token('county.admin');
    const entered = await stack.call('PUT', '/admin/calendars/2027', {
      token: county,
      body: {
        year: 2027,
        source: '国务院办公厅关于2027年部分节假日安排的通知（测试）',
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
        makeUpWorkdays: [],
        version: 0,
      },
    });
    expect(entered.status, JSON.stringify(entered.body)).toBe(200);
    const after = await inTown(() => mattersOf(grid1).get(raised.matter.matterId, at));
    // New Year's Day is off now: 31 Dec, 4, 5, 6, 7 January.
    expect(after.clock).toMatchObject({ due: '2027-01-07T09:30:00.000Z', withoutCalendar: [] });
  });

  it('keeps the category catalogue with history and the ladder per town', async () => {
    const cats = (await as('qingshi.admin').get('/town/matter-categories')).body as {
      categories: Array<{ categoryId: string; version: number; sla: unknown; label: unknown }>;
    };
    const sanitation = cats.categories.find((c) => c.categoryId === 'sanitation');
    expect(sanitation).toBeDefined();
    const saved = await as('qingshi.admin').put('/town/matter-categories/sanitation', {
      label: { zh: '环境卫生', en: 'Sanitation' },
      sla: sanitation?.sla,
      inUse: true,
      version: sanitation?.version,
    });
    expect(saved.status).toBe(200);
    const stale = await as('qingshi.admin').put('/town/matter-categories/sanitation', {
      label: { zh: '环境卫生', en: 'Sanitation' },
      sla: sanitation?.sla,
      inUse: true,
      version: sanitation?.version,
    });
    expect(stale.status).toBe(409);
    const history = (await as('qingshi.admin').get('/town/matter-categories/sanitation/history')).body as { changes: unknown[] };
    expect(history.changes).toHaveLength(1);
    expect(
      (await as('qingshi.grid1').put('/town/matter-categories/x1', { label: { zh: '新', en: 'New' }, sla: sanitation?.sla, inUse: true }))
        .status,
    ).toBe(403);
    const ladder = (await as('qingshi.admin').get('/town/matter-ladder')).body as { ladder: { levels: string[] }; version: number };
    expect(ladder.ladder.levels).toEqual(['grid', 'community', 'town']);
    const noCommunity = await as('taoyuan.admin').put('/town/matter-ladder', {
      ladder: { levels: ['grid', 'town'], allowSkip: false, allowTransfer: true },
      version: 0,
    });
    expect(noCommunity.status).toBe(200);
    expect(((await as('qingshi.admin').get('/town/matter-ladder')).body as { version: number }).version).toBe(0);
  });

  it('rolls the matters up to the county, equal to an independent recount of the records', async () => {
    const county = await stack.token('county.admin');
    const period = periodContaining(new Date().toISOString(), 'month');
    expect((await stack.call('POST', '/admin/rollups/run', { token: county, body: { period } })).status).toBe(200);
    const view = (await stack.call('GET', '/admin/rollups', { token: county, query: { period } })).body as {
      towns: Array<{ townId: string; metrics: Record<string, number> }>;
    };
    const m = view.towns.find((t) => t.townId === 'qingshi')?.metrics ?? {};
    expect(m).toEqual(await recountMetrics('qingshi', period));
    // The tests above raised, resolved, reopened and closed matters this month: the figures are not all zero.
    expect(m.matters_raised).toBeGreaterThanOrEqual(5);
    expect(m.matters_closed).toBeGreaterThanOrEqual(1);
    expect(m.matters_reopened).toBeGreaterThanOrEqual(1);
    expect(m.matters_visit_dissatisfied).toBeGreaterThanOrEqual(1);
  });
});
