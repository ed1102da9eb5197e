import { parseScope } from '@gridline/domain';
import { boundRoutes } from '@gridline/functions';
import type { GridScopeChange } from '@gridline/identity';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  admin = await stack.token('qingshi.admin');
});
afterAll(() => stack.close());

type Rec = { version: number; status: string; [k: string]: unknown };
const as = (token: string) => ({
  post: async (path: string, body: unknown) => stack.call('POST', path, { token, body }),
  patch: async (path: string, body: unknown) => stack.call('PATCH', path, { token, body }),
  put: async (path: string, body: unknown) => stack.call('PUT', path, { token, body }),
  get: async (path: string) => stack.call('GET', path, { token }),
});
const square = {
  type: 'Polygon',
  coordinates: [
    [
      [120.1, 30.2],
      [120.11, 30.2],
      [120.11, 30.21],
      [120.1, 30.2],
    ],
  ],
};

describe('the org chart (communities, grids, courtyards)', () => {
  it('creates, renames, moves and retires with history, versions and counters', async () => {
    const api = as(admin);
    const before = (await api.get('/town/summary')).body as Record<string, number>;

    const community = (await api.post('/town/communities', { name: '新桥社区', kind: 'community' })).body as Rec & { communityId: string };
    expect(community).toMatchObject({ name: '新桥社区', status: 'active', version: 1 });
    const grid = await api.post('/town/grids', { communityId: community.communityId, name: '新桥一网格', code: 'XQ-01', boundary: square });
    expect(grid.status).toBe(201);
    const g = grid.body as Rec & { gridId: string };
    const yard = (await api.post('/town/courtyards', { gridId: g.gridId, name: '新桥花园1栋' })).body as Rec & { courtyardId: string };

    // Rename at the version read; a stale version is a 409 and changes nothing.
    const renamed = await api.patch(`/town/grids/${g.gridId}`, { version: 1, name: '新桥第一网格' });
    expect(renamed.body).toMatchObject({ name: '新桥第一网格', version: 2, code: 'XQ-01' });
    const stale = await api.patch(`/town/grids/${g.gridId}`, { version: 1, name: '别的名字' });
    expect(stale.status).toBe(409);
    expect((stale.body as { error: { code: string } }).error.code).toBe('conflict.version');

    // Name the coordinator: only the town's own staff.
    expect((await api.put(`/town/grids/${g.gridId}/coordinator`, { version: 2, username: 'qingshi.grid1' })).status).toBe(200);
    const unknown = await api.put(`/town/grids/${g.gridId}/coordinator`, { version: 3, username: 'taoyuan.grid1' });
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: { code: string } }).error.code).toBe('staff.not_found');

    // Move the courtyard to another grid; moving to a grid that does not exist is a 404.
    expect((await api.post(`/town/courtyards/${yard.courtyardId}/move`, { version: 1, gridId: 'qs-g1' })).status).toBe(200);
    expect((await api.post(`/town/courtyards/${yard.courtyardId}/move`, { version: 2, gridId: 'no-such-grid' })).status).toBe(404);

    // Retire the grid: it stays in the chart, marked, and leaves the counters; it can no longer change.
    expect((await api.post(`/town/grids/${g.gridId}/retire`, { version: 3 })).body).toMatchObject({ status: 'retired' });
    expect((await api.patch(`/town/grids/${g.gridId}`, { version: 4, name: 'x' })).status).toBe(409);
    expect((await api.post('/town/courtyards', { gridId: g.gridId, name: '不该建' })).status).toBe(404);
    const tree = (await api.get('/town/hierarchy')).body as {
      communities: Array<{ communityId: string; grids: Array<Rec & { gridId: string }> }>;
    };
    const kept = tree.communities.find((c) => c.communityId === community.communityId)?.grids.find((x) => x.gridId === g.gridId);
    expect(kept).toMatchObject({ status: 'retired', name: '新桥第一网格', boundary: square });

    const after = (await api.get('/town/summary')).body as Record<string, number>;
    expect(after.communities).toBe((before.communities ?? 0) + 1);
    expect(after.grids).toBe(before.grids ?? 0);
    expect(after.courtyards).toBe((before.courtyards ?? 0) + 1);

    const history = (await api.get(`/town/org/grid/${g.gridId}/history`)).body as { items: Array<{ action: string; actor: string }> };
    expect(history.items.map((e) => e.action)).toEqual(['grid.create', 'grid.change', 'grid.coordinator', 'grid.retire']);
    expect(history.items.every((e) => e.actor === 'qingshi.admin')).toBe(true);
  });

  it('refuses a grid under another town’s community and org changes by non-admins', async () => {
    const api = as(admin);
    const foreign = await api.post('/town/grids', { communityId: 'taoyuan-sq', name: '越界网格', code: 'X-1' });
    expect(foreign.status).toBe(404);
    expect((foreign.body as { error: { code: string } }).error.code).toBe('community.not_found');
    const coordinator = as(await stack.token('qingshi.grid1'));
    expect((await coordinator.post('/town/communities', { name: '不该建', kind: 'community' })).status).toBe(403);
    expect((await coordinator.get('/town/org/grid/qs-g1/history')).status).toBe(200);
    expect((await api.get('/town/org/grid/ty-g1/history')).status).toBe(404);
  });

  it('validates boundaries and names', async () => {
    const api = as(admin);
    const bad = await api.post('/town/grids', {
      communityId: 'qingshi-sq',
      name: '坏边界',
      code: 'B-1',
      boundary: { type: 'Polygon', coordinates: [[[500, 1]]] },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { field: string } }).error.field).toMatch(/^body\.boundary/);
    expect((await api.post('/town/communities', { name: '  ', kind: 'community' })).status).toBe(400);
  });
});

describe('the named coordinator’s sign-in follows the grid (定人, issue 3)', () => {
  type Err = { error: { code: string; field?: string; message: string } };
  const households = (gridId: string) => `/town/grids/${gridId}/households`;
  const coordinator = (gridId: string) => `/town/grids/${gridId}/coordinator`;
  /** What a user's next sign-in gets: a token signed from the directory's account as it is now. */
  const signIn = (username: string) => stack.token(username);
  const listAs = async (token: string, gridId: string) => {
    const res = await stack.call('GET', households(gridId), { token });
    return res.status === 200 ? (res.body as { items: unknown[] }).items.length : `${res.status} ${(res.body as Err).error.code}`;
  };
  const scopeOf = (username: string) => stack.user(username).scope;
  async function newGridWithAHousehold(code: string) {
    const api = as(admin);
    const g = (await api.post('/town/grids', { communityId: 'qingshi-sq', name: `定人${code}`, code })).body as Rec & { gridId: string };
    expect((await api.post(households(g.gridId), { door: '1单元101室' })).status).toBe(201);
    return g.gridId;
  }

  it('naming B gives B the grid at the next sign-in and takes it from A; naming B again is 200 and writes nothing', async () => {
    const api = as(admin);
    const gridId = await newGridWithAHousehold('DR-01');
    const [a, b] = ['qingshi.grid3', 'qingshi.grid4'];
    const aBefore = scopeOf(a);
    const bBefore = scopeOf(b);
    expect(aBefore).toBe('community:qingshi-sq grid:qs-g3');

    const first = await api.put(coordinator(gridId), { version: 1, username: a });
    expect([first.status, first.body]).toMatchObject([200, { coordinatorUserId: a, version: 2 }]);
    expect(scopeOf(a)).toBe(`${aBefore} grid:${gridId}`);
    expect(await listAs(await signIn(a), gridId)).toBe(1);
    expect(await listAs(await signIn(b), gridId)).toBe('403 scope.grid');
    const aTokenHeld = await signIn(a);

    const second = await api.put(coordinator(gridId), { version: 2, username: b });
    expect([second.status, second.body]).toMatchObject([200, { coordinatorUserId: b, formerCoordinatorUserId: a, version: 3 }]);
    expect(await listAs(await signIn(b), gridId)).toBe(1);
    expect(await listAs(await signIn(a), gridId)).toBe('403 scope.grid');
    // Every other entry of both claims is as it was (their own grids and communities).
    expect(scopeOf(a)).toBe(aBefore);
    expect(scopeOf(b)).toBe(`${bBefore} grid:${gridId}`);
    expect(await listAs(await signIn(a), 'qs-g3')).toBe(0);
    // A token already issued is not changed: A's keeps the grid until it expires (at most an hour); the next sign-in does not.
    expect(await listAs(aTokenHeld, gridId)).toBe(1);

    // Naming B again answers 200 with the grid as it stands, whatever version the caller held, and writes nothing.
    for (const version of [3, 2, 1]) {
      const again = await api.put(coordinator(gridId), { version, username: b });
      expect([again.status, again.body]).toMatchObject([200, { coordinatorUserId: b, formerCoordinatorUserId: a, version: 3 }]);
    }
    expect(scopeOf(b)).toBe(`${bBefore} grid:${gridId}`);
    expect(scopeOf(a)).toBe(aBefore);
    const history = (await api.get(`/town/org/grid/${gridId}/history`)).body as { items: Array<{ action: string }> };
    expect(history.items.map((e) => e.action)).toEqual(['grid.create', 'grid.coordinator', 'grid.coordinator']);
    // Naming someone else at a stale version is still the usual conflict.
    const stale = await api.put(coordinator(gridId), { version: 2, username: a });
    expect([stale.status, (stale.body as Err).error.code]).toEqual([409, 'conflict.version']);
  });

  it('when the directory fails, answers 503 identity.scope_pending with the change saved; naming again completes it', async () => {
    const api = as(admin);
    const gridId = await newGridWithAHousehold('DR-02');
    const [a, b] = ['qingshi.grid5', 'qingshi.grid6'];
    expect((await api.put(coordinator(gridId), { version: 1, username: a })).status).toBe(200);

    const directory = stack.directory;
    const real = directory.changeGridScope.bind(directory);
    const down = vi.spyOn(directory, 'changeGridScope').mockImplementation(async (u: string, t: string, c: GridScopeChange) => {
      if (c.add) throw new Error('user pool unreachable');
      return real(u, t, c);
    });
    try {
      const failed = await api.put(coordinator(gridId), { version: 2, username: b });
      expect(failed.status).toBe(503);
      expect((failed.body as Err).error.code).toBe('identity.scope_pending');
      expect((failed.body as Err).error.message).toMatch(/saved.*Name the same coordinator again/s);
    } finally {
      down.mockRestore();
    }
    // Saved: the chart names B. A has already lost the grid (taking away goes first); B does not have it yet.
    const tree = (await api.get('/town/hierarchy')).body as { communities: Array<{ grids: Array<Rec & { gridId: string }> }> };
    const saved = tree.communities.flatMap((c) => c.grids).find((g) => g.gridId === gridId);
    expect(saved).toMatchObject({ coordinatorUserId: b, version: 3 });
    expect(await listAs(await signIn(a), gridId)).toBe('403 scope.grid');
    expect(await listAs(await signIn(b), gridId)).toBe('403 scope.grid');

    // The form still holds version 2: naming B again from it completes the change.
    const again = await api.put(coordinator(gridId), { version: 2, username: b });
    expect([again.status, again.body]).toMatchObject([200, { coordinatorUserId: b, version: 3 }]);
    expect(await listAs(await signIn(b), gridId)).toBe(1);
    expect(await listAs(await signIn(a), gridId)).toBe('403 scope.grid');
  });

  it('retiring a grid takes it out of its coordinator’s sign-in (and a retry after a failure completes that)', async () => {
    const api = as(admin);
    const gridId = await newGridWithAHousehold('DR-03');
    const c = 'qingshi.grid7';
    const before = scopeOf(c);
    expect((await api.put(coordinator(gridId), { version: 1, username: c })).status).toBe(200);
    expect(await listAs(await signIn(c), gridId)).toBe(1);

    const down = vi.spyOn(stack.directory, 'changeGridScope').mockRejectedValue(new Error('user pool unreachable'));
    try {
      const failed = await api.post(`/town/grids/${gridId}/retire`, { version: 2 });
      expect([failed.status, (failed.body as Err).error.code]).toEqual([503, 'identity.scope_pending']);
      expect((failed.body as Err).error.message).toMatch(/retired.*Retire the grid again/s);
    } finally {
      down.mockRestore();
    }
    expect(scopeOf(c)).toBe(`${before} grid:${gridId}`);
    const again = await api.post(`/town/grids/${gridId}/retire`, { version: 2 });
    expect([again.status, again.body]).toMatchObject([200, { status: 'retired', version: 3 }]);
    expect(scopeOf(c)).toBe(before);
    expect(await listAs(await signIn(c), gridId)).toBe('403 scope.grid');
    // A retired grid cannot be given a coordinator.
    const refused = await api.put(coordinator(gridId), { version: 3, username: 'qingshi.grid1' });
    expect([refused.status, (refused.body as Err).error.code]).toEqual([409, 'grid.retired']);
    expect(scopeOf('qingshi.grid1')).not.toContain(gridId);
  });

  it('names only a grid coordinator of this town: another town’s account, or any other role, is a field error', async () => {
    const api = as(admin);
    const gridId = await newGridWithAHousehold('DR-04');
    const refuse = async (username: string) => {
      const res = await api.put(coordinator(gridId), { version: 1, username });
      const e = (res.body as Err).error;
      return [res.status, e.code, e.field];
    };
    expect(await refuse('taoyuan.grid1')).toEqual([404, 'staff.not_found', 'body.username']);
    expect(await refuse('county.admin')).toEqual([404, 'staff.not_found', 'body.username']);
    for (const other of ['qingshi.admin', 'qingshi.station1', 'qingshi.mediator', 'qingshi.auditor'])
      expect(await refuse(other)).toEqual([422, 'staff.not_coordinator', 'body.username']);
    expect((await refuse('X'))[0]).toBe(400);
    // Nothing changed: the grid has no coordinator, at its first version, and no account gained it.
    const named = await api.put(coordinator(gridId), { version: 1, username: 'qingshi.grid2' });
    expect([named.status, named.body]).toMatchObject([200, { coordinatorUserId: 'qingshi.grid2', version: 2 }]);
    for (const u of ['taoyuan.grid1', 'qingshi.admin', 'qingshi.station1', 'qingshi.mediator', 'qingshi.auditor'])
      expect(parseScope(scopeOf(u)).grids).not.toContain(gridId);
  });
});
