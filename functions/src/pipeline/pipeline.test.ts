import { AppError, townIdParams, townSpecSchema } from '@gridline/domain';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RouteSpec } from '../routes';
import { logger } from './log';
import { areaHandler, type Event, implement } from './route';

const spec = {
  id: 'test.put',
  method: 'PUT',
  path: '/admin/things/{townId}',
  area: 'county',
  audience: 'county',
  roles: ['county_admin'],
  params: townIdParams,
  body: townSpecSchema,
  summary: 'test',
} as const satisfies RouteSpec;

const countyClaims = { sub: 'c-1', 'cognito:username': 'county.admin', token_use: 'id', 'custom:role': 'county_admin' };
const townClaims = {
  sub: 't-1',
  'cognito:username': 'qingshi.admin',
  token_use: 'id',
  'custom:role': 'town_admin',
  'custom:town': 'qingshi',
};
const goodBody = { name: '虹桥镇', kind: 'town', admin: { username: 'hongqiao.admin', displayName: '李明' } };

function event(o: { claims?: Record<string, string>; townId?: string; body?: string } = {}): Event {
  return {
    version: '2.0',
    routeKey: 'PUT /admin/things/{townId}',
    rawPath: `/admin/things/${o.townId ?? 'hongqiao'}`,
    rawQueryString: '',
    headers: {},
    pathParameters: { townId: o.townId ?? 'hongqiao' },
    isBase64Encoded: false,
    ...(o.body !== undefined ? { body: o.body } : {}),
    requestContext: {
      accountId: '0',
      apiId: 'x',
      domainName: 'x',
      domainPrefix: 'x',
      http: { method: 'PUT', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
      requestId: 'req-123',
      routeKey: 'PUT /admin/things/{townId}',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(o.claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: o.claims, scopes: [] } } } : {}),
    },
  } as Event;
}
const ctx = {} as Context;

async function run(impl: () => Promise<{ body: unknown; status?: number }>, e: Event) {
  const res = await implement(spec, impl).handler(e, ctx);
  return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body ?? 'null') };
}
const ok = async () => ({ body: { done: true } });

describe('the request pipeline', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers JSON that no cache keeps', async () => {
    const r = await run(ok, event({ claims: countyClaims, body: JSON.stringify(goodBody) }));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ done: true });
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('hands the implementation typed, validated input and the principal from the claims', async () => {
    let seen: unknown;
    await implement(spec, async (req) => {
      seen = { town: req.params.townId, admin: req.body.admin.username, who: req.principal.username };
      return { body: {} };
    }).handler(event({ claims: countyClaims, body: JSON.stringify(goodBody) }), ctx);
    expect(seen).toEqual({ town: 'hongqiao', admin: 'hongqiao.admin', who: 'county.admin' });
  });

  it.each([
    ['no claims', event({ body: '{}' }), 401, 'auth.required', undefined],
    ['a town user on a county route', event({ claims: townClaims, body: '{}' }), 403, 'auth.wrong_audience', undefined],
    ['claims without a role', event({ claims: { ...countyClaims, 'custom:role': '' }, body: '{}' }), 403, 'auth.claims_invalid', undefined],
    [
      'a bad path parameter',
      event({ claims: countyClaims, townId: 'Bad Town', body: JSON.stringify(goodBody) }),
      400,
      'request.invalid',
      'params.townId',
    ],
    ['malformed JSON', event({ claims: countyClaims, body: '{"name":' }), 400, 'request.malformed_json', 'body'],
    ['no body', event({ claims: countyClaims }), 400, 'request.body_required', 'body'],
    [
      'a bad nested field',
      event({ claims: countyClaims, body: JSON.stringify({ ...goodBody, admin: { username: 'X', displayName: 'a' } }) }),
      400,
      'request.invalid',
      'body.admin.username',
    ],
    ['an unknown field', event({ claims: countyClaims, body: JSON.stringify({ ...goodBody, extra: 1 }) }), 400, 'request.invalid', 'body'],
  ])('refuses %s with the stable error body', async (_name, e, status, code, field) => {
    const r = await run(ok, e);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.requestId).toBe('req-123');
    expect(typeof r.body.error.message).toBe('string');
    if (field) expect(r.body.error.field).toBe(field);
    expect(Object.keys(r.body)).toEqual(['error']);
  });

  it('passes an AppError through with its status and code', async () => {
    const r = await run(
      async () => {
        throw new AppError('town.conflict', 409, 'differs');
      },
      event({ claims: countyClaims, body: JSON.stringify(goodBody) }),
    );
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual({ code: 'town.conflict', message: 'differs', requestId: 'req-123' });
  });

  it('turns anything else into a 500 with the request id and no internals', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const r = await run(
      async () => {
        throw new Error('connection string postgres://secret');
      },
      event({ claims: countyClaims, body: JSON.stringify(goodBody) }),
    );
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: { code: 'internal', message: expect.any(String), requestId: 'req-123' } });
    expect(JSON.stringify(r.body)).not.toContain('secret');
  });

  it('logs one JSON line per request with request id and route, and never the body', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    await run(ok, event({ claims: countyClaims, body: JSON.stringify(goodBody) }));
    const entries = lines.flatMap((l) => l.split('\n').filter(Boolean)).map((l) => JSON.parse(l));
    const line = entries.find((e) => e.message === 'request');
    expect(line).toMatchObject({ requestId: 'req-123', route: 'test.put', status: 200, level: 'INFO' });
    expect(lines.join('')).not.toContain('hongqiao.admin');
  });

  it('publishes request metrics in CloudWatch embedded format, by area only', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    await run(ok, event({ claims: countyClaims, body: JSON.stringify(goodBody) }));
    const emf = lines
      .flatMap((l) => l.split('\n').filter(Boolean))
      .map((l) => JSON.parse(l))
      .find((e) => e._aws?.CloudWatchMetrics);
    expect(emf).toMatchObject({ area: 'county', Requests: 1, Successes: 1, service: 'gridline' });
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('Gridline');
    expect(JSON.stringify(emf)).not.toContain('hongqiao');
  });

  it('resets the log keys after every request, even one that throws', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    await run(
      async () => {
        throw new Error('boom');
      },
      event({ claims: countyClaims, body: JSON.stringify(goodBody) }),
    );
    lines.length = 0;
    logger.info('after the request');
    const entry = JSON.parse(lines.join('').trim().split('\n').pop() ?? '{}');
    expect(entry.message).toBe('after the request');
    expect(entry.requestId).toBeUndefined();
    expect(entry.route).toBeUndefined();
  });

  it('names each handler after its route id', () => {
    expect(implement(spec, ok).handler.name).toBe('test.put');
  });

  it('answers 404 for a route key the area does not serve', async () => {
    const handler = areaHandler([implement(spec, ok)]);
    const res = await handler({ ...event(), routeKey: 'GET /nowhere' }, ctx);
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body ?? '').error.code).toBe('route.not_found');
  });
});

describe('detailed tracing (GRIDLINE_TRACE_DETAIL)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('off: the pipeline has no tracer step, and annotating is a no-op', async () => {
    vi.stubEnv('GRIDLINE_TRACE_DETAIL', '');
    const trace = await import('./trace');
    expect(trace.traceDetail()).toBe(false);
    const r = await run(ok, event({ claims: countyClaims, body: JSON.stringify(goodBody) }));
    expect(r.status).toBe(200);
    expect(trace.tracerLoaded()).toBe(false);
  });

  it('on: loads the tracer on the first request and annotates the trace with the route and the town', async () => {
    vi.stubEnv('GRIDLINE_TRACE_DETAIL', '1');
    const { tracer } = await import('./tracer');
    vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
    // No Lambda segment here: the handler capture opens nothing, the annotations are what is checked.
    vi.spyOn(tracer, 'getSegment').mockReturnValue(undefined);
    const annotations: Array<[string, unknown]> = [];
    vi.spyOn(tracer, 'putAnnotation').mockImplementation((k, v) => void annotations.push([k, v]));
    const r = await run(ok, event({ claims: townClaims, townId: 'qingshi', body: JSON.stringify(goodBody) }));
    // A town user on a county route is refused, after the route and tenant are known.
    expect(r.status).toBe(403);
    expect(annotations).toContainEqual(['route', 'test.put']);
    const c = await run(ok, event({ claims: countyClaims, body: JSON.stringify(goodBody) }));
    expect(c.status).toBe(200);
    expect(annotations).toContainEqual(['town', 'county']);
    expect((await import('./trace')).tracerLoaded()).toBe(true);
  });
});
