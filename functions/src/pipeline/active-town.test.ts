import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RouteSpec } from '../routes';
import { activeTownMiddleware, afterTownCheck } from './active-town';
import { principalMiddleware } from './principal';
import { type Event, stateOf } from './state';

// The town check on its own: the town's status item is a stub (no database), read once per request.
const stored = vi.hoisted(() => ({ item: undefined as unknown, reads: 0 }));
vi.mock('@gridline/data', async (original) => ({
  ...(await original<typeof import('@gridline/data')>()),
  forTown: () => ({
    access: async () => {
      stored.reads++;
      return stored.item;
    },
  }),
}));

const spec = (method: 'GET' | 'POST') =>
  ({
    id: `test.${method}`,
    method,
    path: '/town/things',
    area: 'town',
    audience: 'town',
    roles: ['grid_coordinator'],
    summary: 'test',
  }) as const satisfies RouteSpec;

const claims = (iat?: number) => ({
  sub: 't-1',
  'cognito:username': 'qingshi.c1',
  token_use: 'id',
  'custom:role': 'grid_coordinator',
  'custom:town': 'qingshi',
  'custom:scope': 'grid:qs-g1',
  ...(iat === undefined ? {} : { iat: String(iat) }),
});
const event = (c: Record<string, string>) =>
  ({ headers: {}, requestContext: { requestId: 'r', authorizer: { jwt: { claims: c, scopes: [] } } } }) as unknown as Event;
const request = (e: Event) => ({ event: e, context: {} as Context, response: undefined, error: undefined, internal: {} }) as never;

/** Runs the principal and town-check middlewares as the pipeline does, and the route after the check. */
async function run(method: 'GET' | 'POST', iat?: number) {
  const s = spec(method);
  const e = event(claims(iat));
  await principalMiddleware(s).before?.(request(e));
  await activeTownMiddleware(s).before?.(request(e));
  return afterTownCheck(stateOf(e, s), async () => 'answered');
}

const meta = { townId: 'qingshi', name: '青石镇', kind: 'town', status: 'active' };
beforeEach(() => {
  stored.reads = 0;
});

describe('the town check refuses revoked tokens', () => {
  it('refuses (401 auth.revoked) a token issued at or before the revocation, on reads and writes, with one read', async () => {
    stored.item = { meta, revoked: { 'qingshi.c1': 1_800_000_000 } };
    for (const method of ['GET', 'POST'] as const) {
      await expect(run(method, 1_799_999_000)).rejects.toMatchObject({ code: 'auth.revoked', status: 401 });
      await expect(run(method, 1_800_000_000)).rejects.toMatchObject({ code: 'auth.revoked', status: 401 });
      // A token without an issue time is refused too when its holder was revoked.
      await expect(run(method)).rejects.toMatchObject({ code: 'auth.revoked', status: 401 });
    }
    expect(stored.reads).toBe(6);
  });

  it('lets a token issued after the revocation through (the person re-enabled and signed in again), and others', async () => {
    stored.item = { meta, revoked: { 'qingshi.c1': 1_800_000_000 } };
    await expect(run('GET', 1_800_000_001)).resolves.toBe('answered');
    await expect(run('POST', 1_800_000_001)).resolves.toBe('answered');
    stored.item = { meta, revoked: { 'qingshi.other': 1_800_000_000 } };
    await expect(run('GET', 1_700_000_000)).resolves.toBe('answered');
    stored.item = { meta, revoked: {} };
    await expect(run('POST')).resolves.toBe('answered');
  });

  it('still refuses a suspended town first (403)', async () => {
    stored.item = { meta: { ...meta, status: 'suspended' }, revoked: { 'qingshi.c1': 1_800_000_000 } };
    await expect(run('GET', 1)).rejects.toMatchObject({ code: 'tenant.suspended', status: 403 });
  });
});
