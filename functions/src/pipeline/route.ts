import middy from '@middy/core';
import { forTown, PLATFORM_PREFIX, runInScope, type TownMeta, townPrefix } from '@gridline/data';
import { AppError, type CountyPrincipal, type TownPrincipal } from '@gridline/domain';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { type RouteSpec, routeKey } from '../routes';
import { httpErrors } from './errors';
import { logger } from './log';
import { recordRequest, traced } from './observe';
import { principalOf, parseInput } from './parse';
import { json } from './respond';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type PrincipalFor<A> = A extends 'county' ? CountyPrincipal : A extends 'town' ? TownPrincipal : undefined;

export type RouteRequest<S extends RouteSpec> = {
  principal: PrincipalFor<S['audience']>;
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: Out<S['body']>;
  /** The caller's town as its status check just read it (town routes only). */
  town: S['audience'] extends 'town' ? TownMeta : undefined;
  requestId: string;
  /** The request's clock, ISO 8601 UTC. */
  now: string;
};
export type Reply = { status?: number; body: unknown };
export type Implementation<S extends RouteSpec> = (req: RouteRequest<S>) => Promise<Reply>;

export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
export type Result = APIGatewayProxyStructuredResultV2;
export type BoundRoute = { spec: RouteSpec; handler: (event: Event, context: Context) => Promise<Result> };

/** Prefixes the request may touch: its own town, or the platform registry for county staff. */
function prefixesFor(principal: CountyPrincipal | TownPrincipal | undefined): { tenant: string; prefixes: string[] } {
  if (!principal) return { tenant: 'public', prefixes: [] };
  if (principal.kind === 'county') return { tenant: 'county', prefixes: [PLATFORM_PREFIX] };
  return { tenant: principal.townId, prefixes: [townPrefix(principal.townId)] };
}

/**
 * Builds the middy handler for one route: errors → stable body, claims → principal, zod → input,
 * then the implementation inside a request scope confined to the caller's tenant.
 */
export function implement<S extends RouteSpec>(spec: S, impl: Implementation<S>): BoundRoute {
  const core = async (event: Event): Promise<Result> => {
    const requestId = event.requestContext.requestId;
    const principal = principalOf(event, spec) as CountyPrincipal | TownPrincipal | undefined;
    const { tenant, prefixes } = prefixesFor(principal);
    if (principal?.kind === 'town') logger.appendKeys({ townId: principal.townId });
    const consumed = usage.get(event) ?? { read: 0, write: 0, calls: 0 };
    return runInScope({ requestId, tenant, allowedPrefixes: prefixes, consumed }, async () => {
      // A suspended town is refused before its input is even read: 403 whatever it sends.
      const town = principal?.kind === 'town' ? await activeTown(principal.townId) : undefined;
      const input = parseInput(event, spec);
      const reply = await impl({ ...input, principal, town, requestId, now: new Date().toISOString() } as RouteRequest<S>);
      return json(reply.status ?? 200, reply.body);
    });
  };
  const pipeline = middy<Event, Result>().use(httpErrors<Event>()).handler(core);
  const handler = async (event: Event, context: Context): Promise<Result> => {
    const started = Date.now();
    const consumed = { read: 0, write: 0, calls: 0 };
    usage.set(event, consumed);
    logger.appendKeys({ requestId: event.requestContext?.requestId, route: spec.id });
    const result = (await traced(spec.id, { route: spec.id }, () => pipeline(event, context))) as Result;
    const ms = Date.now() - started;
    // Only the route, status, timing and capacity: never a body, a query or a path with personal data.
    logger.info('request', { method: spec.method, path: spec.path, status: result.statusCode, ms, capacity: consumed });
    recordRequest(spec.area, result.statusCode ?? 200, ms, consumed);
    logger.removeKeys(['requestId', 'townId', 'route']);
    return result;
  };
  return { spec, handler };
}

/** Capacity consumed by each in-flight request, keyed by its event, for the request log line. */
const usage = new WeakMap<Event, { read: number; write: number; calls: number }>();

/** The caller's town, refused unless provisioned and active: one eventually consistent read per request. */
async function activeTown(townId: string): Promise<TownMeta> {
  const meta = await forTown(townId).meta();
  if (!meta) throw new AppError('tenant.unknown', 403, 'Your town is not provisioned.');
  if (meta.status !== 'active') throw new AppError('tenant.suspended', 403, 'Your town is suspended; contact county IT.');
  return meta;
}

/** One Lambda handler for an area: dispatches on API Gateway's route key. */
export function areaHandler(bound: BoundRoute[]) {
  const byKey = new Map(bound.map((b) => [routeKey(b.spec), b]));
  return async (event: Event, context: Context): Promise<Result> => {
    const route = byKey.get(event.routeKey);
    if (!route)
      return json(404, {
        error: { code: 'route.not_found', message: 'No such route.', requestId: event.requestContext?.requestId ?? 'unknown' },
      });
    return route.handler(event, context);
  };
}
