import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { TownMeta } from '@gridline/data';
import type { CountyPrincipal, TownPrincipal } from '@gridline/domain';
import type { Context } from 'aws-lambda';
import type * as z from '@gridline/domain/zod';
import { type RouteSpec, routeKey } from '../spec';
import { activeTownMiddleware, afterTownCheck } from './active-town';
import { httpErrors } from './errors';
import { idempotencyMiddleware } from './idempotency';
import { logger } from './log';
import { metrics, requestLog } from './observe';
import { inputMiddleware } from './parse';
import { principalMiddleware } from './principal';
import { json } from './respond';
import { inScope, scopeMiddleware } from './scope';
import { type Event, type Result, stateOf } from './state';
import { traceDetail, traceMiddleware } from './trace';

export type { Event, Result } from './state';

type Out<S> = S extends z.core.$ZodType ? z.output<S> : undefined;
type PrincipalFor<A> = A extends 'county' ? CountyPrincipal : A extends 'town' ? TownPrincipal : undefined;

export type RouteRequest<S extends RouteSpec> = {
  principal: PrincipalFor<S['audience']>;
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: Out<S['body']>;
  /**
   * The caller's town as its status check read it (town routes only). A promise: a GET runs alongside
   * the check (./active-town.ts), so a route that needs the town awaits it.
   */
  town: S['audience'] extends 'town' ? Promise<TownMeta> : undefined;
  requestId: string;
  /** The request's clock, ISO 8601 UTC. */
  now: string;
};
export type Reply = { status?: number; body: unknown };
export type Implementation<S extends RouteSpec> = (req: RouteRequest<S>) => Promise<Reply>;

export type BoundRoute = { spec: RouteSpec; handler: (event: Event, context: Context) => Promise<Result> };

/**
 * Builds the handler of one route: a middy pipeline of small middlewares around the implementation.
 * Their order is the order of the checks: Powertools' logger (keys reset after every request, even one
 * that throws) and metrics, and its tracer when detailed tracing is on (./trace.ts); the request log line; the stable error body; then the principal
 * from the claims, the tenant scope, the active-town check, the input, and the idempotency key. The
 * handler is a function named by the route id, the name the trace and the log carry too.
 */
export function implement<S extends RouteSpec>(spec: S, impl: Implementation<S>): BoundRoute {
  const core = async (event: Event): Promise<Result> => {
    const state = stateOf(event, spec);
    if (state.replay) return { ...json(state.replay.status, null, { 'idempotent-replayed': 'true' }), body: state.replay.body };
    const town = state.townCheck ?? (state.town ? Promise.resolve(state.town) : undefined);
    const reply = await afterTownCheck(state, () =>
      inScope(state, () =>
        impl({
          ...state.input,
          principal: state.principal,
          town,
          requestId: state.requestId,
          now: new Date().toISOString(),
        } as RouteRequest<S>),
      ),
    );
    return json(reply.status ?? 200, reply.body);
  };
  const pipeline = middy<Event, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    // Detailed tracing only: off, the pipeline has no tracer step at all (see ./trace.ts).
    .use(traceDetail() ? [traceMiddleware()] : [])
    .use(requestLog(spec))
    .use(httpErrors<Event>())
    .use(principalMiddleware(spec))
    .use(scopeMiddleware(spec))
    .use(activeTownMiddleware(spec))
    .use(inputMiddleware(spec))
    .use(idempotencyMiddleware(spec))
    .handler(core);
  const named = { [spec.id]: (event: Event, context: Context) => pipeline(event, context) as Promise<Result> };
  return { spec, handler: named[spec.id] as BoundRoute['handler'] };
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
