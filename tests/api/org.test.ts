import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
