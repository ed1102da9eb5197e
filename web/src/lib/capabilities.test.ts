import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TownSpec } from '@gridline/domain';
import { orgApi } from './org';
import { town } from './town';
import { towns } from './towns';

/** One request as the API saw it. */
type Seen = { method: string; path: string; body: unknown };

/**
 * `fetch` is mocked (no API runs in a unit test): /config.json answers, every API call is recorded
 * and answered with `status` and `{}`.
 */
function recordingServer(status = 200) {
  const seen: Seen[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      if (url === '/config.json') return new Response(JSON.stringify({ mode: 'local', apiBase: '/api', authBase: '/auth' }));
      seen.push({
        method: init.method ?? 'GET',
        path: url.replace(/^\/api/, ''),
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      return new Response('{}', { status });
    }),
  );
  return seen;
}

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe('the capability modules send each action to its route', () => {
  it('org: a grid moves to a community, a courtyard to a grid; a rename sends a code only when there is one', async () => {
    const seen = recordingServer();
    await orgApi.move({ kind: 'grid', id: 'g1', version: 3 }, 'c2');
    await orgApi.move({ kind: 'courtyard', id: 'y1', version: 1 }, 'g2');
    await orgApi.rename({ kind: 'grid', id: 'g1', version: 4 }, '二网格', 'G02');
    await orgApi.rename({ kind: 'community', id: 'c1', version: 2 }, '东风', '');
    await orgApi.retire({ kind: 'courtyard', id: 'y1', version: 2 });
    await orgApi.setCoordinator('g1', 5, 'li');
    await orgApi.history('grid', 'g1');
    expect(seen).toEqual([
      { method: 'POST', path: '/town/grids/g1/move', body: { version: 3, communityId: 'c2' } },
      { method: 'POST', path: '/town/courtyards/y1/move', body: { version: 1, gridId: 'g2' } },
      { method: 'PATCH', path: '/town/grids/g1', body: { version: 4, name: '二网格', code: 'G02' } },
      { method: 'PATCH', path: '/town/communities/c1', body: { version: 2, name: '东风' } },
      { method: 'POST', path: '/town/courtyards/y1/retire', body: { version: 2 } },
      { method: 'PUT', path: '/town/grids/g1/coordinator', body: { version: 5, username: 'li' } },
      { method: 'GET', path: '/town/org/grid/g1/history?limit=50', body: undefined },
    ]);
  });

  it('towns: provisioning tells a new town (201) from one already there (200); ids are escaped in the path', async () => {
    let seen = recordingServer(201);
    const spec: TownSpec = { name: '青石镇', kind: 'town', admin: { username: 'wang', displayName: '王' } };
    expect((await towns.provision('qing shi', spec)).created).toBe(true);
    expect(seen[0]).toEqual({ method: 'PUT', path: '/admin/towns/qing%20shi', body: spec });
    seen = recordingServer(200);
    expect((await towns.provision('qingshi', spec)).created).toBe(false);
    await towns.setStatus('qingshi', 'suspend');
    await towns.reconcile('qingshi', true);
    await towns.list(20);
    expect(seen.slice(1)).toEqual([
      { method: 'POST', path: '/admin/towns/qingshi/suspend', body: undefined },
      { method: 'POST', path: '/admin/towns/qingshi/reconcile', body: { fix: true } },
      { method: 'GET', path: '/admin/towns?limit=20', body: undefined },
    ]);
  });

  it("town: the overview's reads and the town's own reconcile", async () => {
    const seen = recordingServer();
    await Promise.all([town.me(), town.counters(), town.hierarchy(), town.config()]);
    await town.staff(25, 'next');
    await town.reconcile(false);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /town/me',
      'GET /town/summary',
      'GET /town/hierarchy',
      'GET /town/config',
      'GET /town/staff?limit=25&cursor=next',
      'POST /town/reconcile',
    ]);
    expect(seen.at(-1)?.body).toEqual({ fix: false });
  });
});
