import { AppError } from '@gridline/domain';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { RouteSpec } from '../routes';
import { errorResponse, httpErrors, RETRY_AFTER_SECONDS } from './errors';
import { keyedRoute } from './idempotency';
import { inputMiddleware } from './parse';
import { principalMiddleware } from './principal';
import { prefixesFor, scopeMiddleware } from './scope';
import { type Event, type Middleware, stateOf } from './state';

// Each middleware of the pipeline on its own, with a bare middy request: no network, no database.
const townSpec = {
  id: 'test.town',
  method: 'POST',
  path: '/town/things',
  area: 'town',
  audience: 'town',
  roles: ['town_admin'],
  summary: 'test',
} as const satisfies RouteSpec;

const townClaims = {
  sub: 't-1',
  'cognito:username': 'qingshi.admin',
  token_use: 'id',
  'custom:role': 'town_admin',
  'custom:town': 'qingshi',
};
function event(claims?: Record<string, string>, body?: string): Event {
  return {
    headers: {},
    ...(body !== undefined ? { body } : {}),
    requestContext: {
      requestId: 'req-1',
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as unknown as Event;
}
const request = (e: Event) => ({ event: e, context: {} as Context, response: undefined, error: undefined, internal: {} }) as never;
const before = async (m: Middleware, e: Event) => m.before?.(request(e));

describe('principal middleware', () => {
  it('takes the caller from the verified claims', async () => {
    const e = event(townClaims);
    await before(principalMiddleware(townSpec), e);
    expect(stateOf(e, townSpec).principal).toMatchObject({ kind: 'town', townId: 'qingshi', username: 'qingshi.admin' });
  });
  it('refuses a request without claims (401) and a role the route does not list (403)', async () => {
    await expect(before(principalMiddleware(townSpec), event())).rejects.toMatchObject({ code: 'auth.required', status: 401 });
    await expect(before(principalMiddleware(townSpec), event({ ...townClaims, 'custom:role': 'auditor' }))).rejects.toMatchObject({
      code: 'auth.role',
      status: 403,
    });
  });
});

describe('scope middleware', () => {
  it('confines a town caller to its own prefix, county staff to the platform, the public to nothing', async () => {
    const e = event(townClaims);
    await before(principalMiddleware(townSpec), e);
    await before(scopeMiddleware(townSpec), e);
    expect(stateOf(e, townSpec).scope).toMatchObject({ tenant: 'qingshi', allowedPrefixes: ['T#qingshi#'], requestId: 'req-1' });
    expect(prefixesFor({ kind: 'county', userId: 'c', username: 'c', role: 'county_admin' })).toEqual({
      tenant: 'county',
      prefixes: ['P#'],
    });
    expect(prefixesFor(undefined)).toEqual({ tenant: 'public', prefixes: [] });
  });
});

describe('input middleware', () => {
  const spec = { ...townSpec, id: 'test.input', body: undefined } as RouteSpec;
  it('keeps the checked input and refuses malformed JSON with the field at fault', async () => {
    const { newCommunitySchema } = await import('@gridline/domain');
    const withBody = { ...spec, body: newCommunitySchema } as RouteSpec;
    const ok = event(townClaims, JSON.stringify({ name: '新桥社区', kind: 'community' }));
    await before(inputMiddleware(withBody), ok);
    expect(stateOf(ok, withBody).input?.body).toEqual({ name: '新桥社区', kind: 'community' });
    await expect(before(inputMiddleware(withBody), event(townClaims, '{"name":'))).rejects.toMatchObject({
      code: 'request.malformed_json',
      field: 'body',
    });
  });
});

describe('error middleware', () => {
  it('answers a database that is away 503 with Retry-After and the stable body, never 500', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    for (const cause of [
      Object.assign(new Error('socket hang up'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
      Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
    ]) {
      const res = errorResponse(cause, 'req-9');
      expect(res.statusCode).toBe(503);
      expect(res.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
      expect(JSON.parse(res.body ?? '')).toEqual({
        error: { code: 'service.unavailable', message: expect.any(String), requestId: 'req-9' },
      });
    }
    vi.restoreAllMocks();
  });
  it('sets the response for any error, so that the middlewares after it see the status', async () => {
    const r = { ...(request(event()) as object), error: new AppError('x.y', 404, 'gone') } as never as {
      response?: { statusCode: number };
    };
    await httpErrors().onError?.(r as never);
    expect(r.response?.statusCode).toBe(404);
  });
});

describe('idempotency middleware', () => {
  it('applies to the writes of signed-in callers, not to reads, searches, reveals, provisioning or public routes', () => {
    expect(keyedRoute(townSpec)).toBe(true);
    expect(keyedRoute({ ...townSpec, method: 'GET' })).toBe(false);
    expect(keyedRoute({ ...townSpec, id: 'book.person.search' })).toBe(false);
    expect(keyedRoute({ ...townSpec, id: 'book.person.reveal' })).toBe(false);
    expect(keyedRoute({ ...townSpec, id: 'towns.put' })).toBe(false);
    expect(keyedRoute({ ...townSpec, audience: 'public' })).toBe(false);
  });
});
