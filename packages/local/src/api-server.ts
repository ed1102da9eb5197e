import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BoundRoute, boundRoutes, type Event, routeKey } from '@gridline/functions';
import { errorBodySchema } from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { createJwtAuthorizer } from '@gridline/identity';
import type { Context } from 'aws-lambda';
import { readBody, sendJson } from './http';

const NO_BODY = Buffer.alloc(0);

type Matcher = { route: BoundRoute; pattern: RegExp; names: string[] };

function compile(route: BoundRoute): Matcher {
  const names: string[] = [];
  const source = route.spec.path
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/** Percent-decodes a path segment; a malformed escape is passed on as it came, for validation to refuse. */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function lambdaContext(requestId: string, name: string): Context {
  return {
    awsRequestId: requestId,
    functionName: `gridline-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:gridline-${name}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/gridline-${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

type Result = Awaited<ReturnType<BoundRoute['handler']>>;

/**
 * The contract check the test runs switch on (`GRIDLINE_CHECK_RESPONSES=1`): a success must match its
 * route's response schema and anything else the error body, or the caller gets a 500 naming the
 * mismatch, so the test that received the wrong shape fails. Off in `npm start`: it costs a parse.
 */
export function checkedResult(route: BoundRoute, result: Result, requestId: string): Result {
  const status = result.statusCode ?? 200;
  const schema = status < 400 ? route.spec.response : errorBodySchema;
  if (!schema) return result;
  let body: unknown;
  try {
    body = JSON.parse(result.body ?? '');
  } catch {
    body = undefined;
  }
  const checked = z.safeParse(schema, body);
  const declared = status >= 400 || (route.spec.success ?? [200]).includes(status as 200);
  if (checked.success && declared) return result;
  const where = checked.success
    ? `status ${status} is not among its success statuses`
    : checked.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  const message = `${route.spec.id} answered ${status} with a body that does not match its schema: ${where}`;
  console.error(message);
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: { code: 'contract.response_mismatch', message, requestId } }),
  };
}

export type ApiServerOptions = {
  issuer: string;
  audience: string[];
  /** Routes to serve; the product's route table unless a test adds a fixture. */
  routes?: BoundRoute[];
  port?: number;
  host?: string;
};

/**
 * The local stand-in for API Gateway's HTTP API: matches the route table, verifies bearer tokens the
 * way the JWT authorizer does (same 401 body), and hands the area's handler a real v2 event.
 */
export function createApiHandler(opts: ApiServerOptions) {
  const matchers = (opts.routes ?? boundRoutes).map(compile);
  const authorize = createJwtAuthorizer({
    issuer: opts.issuer,
    audience: opts.audience,
    jwks: new URL(`${opts.issuer}/.well-known/jwks.json`),
  });

  return async (req: IncomingMessage, res: ServerResponse, pathPrefix = '') => {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname.slice(pathPrefix.length) || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    let match: { m: Matcher; values: string[] } | undefined;
    for (const m of matchers) {
      const hit = m.route.spec.method === method ? m.pattern.exec(path) : null;
      if (hit) {
        match = { m, values: hit.slice(1) };
        break;
      }
    }
    if (!match) return sendJson(res, 404, { message: 'Not Found' });
    const { route } = match.m;

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;

    let claims: Record<string, string> | undefined;
    if (route.spec.audience !== 'public') {
      claims = await authorize(headers.authorization);
      if (!claims) return sendJson(res, 401, { message: 'Unauthorized' });
    }

    // Neither Content-Length nor Transfer-Encoding: no body (RFC 9112, 6.3), so no stream to drain
    // (iterating the request stream for nothing took a measurable share of a GET's time).
    const framed = headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;
    const body = framed ? await readBody(req) : NO_BODY;
    if (body === 'too_large') return sendJson(res, 413, { message: 'Request Entity Too Large' });

    const pathParameters: Record<string, string> = {};
    for (const [i, n] of match.m.names.entries()) pathParameters[n] = decodeSegment(match.values[i] as string);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;

    const requestId = randomUUID();
    const now = new Date();
    const event: Event = {
      version: '2.0',
      routeKey: routeKey(route.spec),
      rawPath: path,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(match.m.names.length ? { pathParameters } : {}),
      ...(body.length ? { body: body.toString('utf8') } : {}),
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: routeKey(route.spec),
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
      },
    };
    if (!claims) delete (event.requestContext as { authorizer?: unknown }).authorizer;
    let result = await route.handler(event, lambdaContext(requestId, route.spec.area));
    if (process.env.GRIDLINE_CHECK_RESPONSES === '1') result = checkedResult(route, result, requestId);
    res.writeHead(result.statusCode ?? 200, { 'apigw-requestid': requestId, ...(result.headers as Record<string, string>) });
    res.end(result.body ?? '');
  };
}
