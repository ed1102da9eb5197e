import { PLATFORM_PREFIX, runInScope, townPrefix } from '@gridline/data';
import type { CountyPrincipal, TownPrincipal } from '@gridline/domain';
import type { RouteSpec } from '../routes';
import { type Middleware, type RouteState, type ScopeInit, stateOf } from './state';
import { annotate } from './trace';

/** Prefixes the request may touch: its own town, or the platform registry for county staff. */
export function prefixesFor(principal: CountyPrincipal | TownPrincipal | undefined): { tenant: string; prefixes: string[] } {
  if (!principal) return { tenant: 'public', prefixes: [] };
  if (principal.kind === 'county') return { tenant: 'county', prefixes: [PLATFORM_PREFIX] };
  return { tenant: principal.townId, prefixes: [townPrefix(principal.townId)] };
}

/** Confines every later data call of the request to the caller's tenant; annotates the trace with it. */
export const scopeMiddleware = (spec: RouteSpec): Middleware => ({
  before: (request) => {
    const state = stateOf(request.event, spec);
    const { tenant, prefixes } = prefixesFor(state.principal);
    state.scope = { requestId: state.requestId, tenant, allowedPrefixes: prefixes, consumed: state.consumed, budget: 'request' };
    annotate('town', tenant);
  },
});

/** Runs `fn` in the request's scope; a request that has none yet gets an empty one (no key allowed). */
export function inScope<T>(state: RouteState, fn: () => Promise<T>): Promise<T> {
  const scope: ScopeInit = state.scope ?? {
    requestId: state.requestId,
    tenant: 'none',
    allowedPrefixes: [],
    consumed: state.consumed,
    budget: 'request',
  };
  return runInScope(scope, fn);
}
