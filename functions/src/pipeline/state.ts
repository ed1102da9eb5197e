import type { RequestScope, StoredResponse, TownMeta } from '@gridline/data';
import type { CountyPrincipal, TownPrincipal } from '@gridline/domain';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type middy from '@middy/core';
import type { RouteSpec } from '../routes';

export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
export type Result = APIGatewayProxyStructuredResultV2;
export type Middleware = middy.MiddlewareObj<Event, Result, Error, Context>;

/** The scope a request's data calls run in (see runInScope in the data package). */
export type ScopeInit = Omit<RequestScope, 'consumed'> & { consumed: RequestScope['consumed'] };

/** What the middlewares learn about one request, in the order they run. */
export type RouteState = {
  spec: RouteSpec;
  requestId: string;
  started: number;
  consumed: { read: number; write: number; calls: number };
  principal?: CountyPrincipal | TownPrincipal | undefined;
  scope?: ScopeInit;
  town?: TownMeta;
  /** A GET's town-status check, still under way while the route's own reads run (./active-town.ts). */
  townCheck?: Promise<TownMeta>;
  input?: { params: unknown; query: unknown; body: unknown };
  /** The stored answer of an earlier attempt with the same idempotency key. */
  replay?: StoredResponse;
};

// Keyed by the event: one invocation, one event object, and nothing to clean up.
const states = new WeakMap<object, RouteState>();

/** The state of the request `event` belongs to, created on first use. */
export function stateOf(event: Event, spec: RouteSpec): RouteState {
  let s = states.get(event);
  if (!s) {
    s = {
      spec,
      requestId: event.requestContext?.requestId ?? 'unknown',
      started: Date.now(),
      consumed: { read: 0, write: 0, calls: 0 },
    };
    states.set(event, s);
  }
  return s;
}
