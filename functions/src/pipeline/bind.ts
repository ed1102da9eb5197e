import type { RouteGroup } from '../spec';
import { lazy } from './lazy';
import { type BoundRoute, type Implementation, implement } from './route';

/**
 * The implementations of a group of routes: one function per route, under the route's name. A module
 * that exports them (a capability's `handlers.ts`) has this type, so a missing or misspelt handler
 * fails the typecheck where the area binds the group.
 */
export type Handlers<G extends RouteGroup> = { [K in keyof G]: Implementation<G[K]> };

/** Binds a group to implementations already loaded: for light handlers the area loads anyway. */
export function bindNow<G extends RouteGroup>(group: G, handlers: Handlers<G>): BoundRoute[] {
  return Object.keys(group).map((name) => implement(group[name] as G[keyof G], handlers[name] as Implementation<G[keyof G]>));
}

/**
 * Binds a group to implementations imported on the group's first request (`() => import('../book/handlers')`):
 * bundled, that module and what it alone needs (the XLSX reader, the vault…) are a chunk of their own,
 * so a cold start of another route does not load them. The import is made once (`lazy`), not per request.
 */
export function bindLater<G extends RouteGroup>(group: G, importHandlers: () => Promise<Handlers<G>>): BoundRoute[] {
  const load = lazy(importHandlers);
  return Object.keys(group).map((name) => {
    const spec = group[name] as G[keyof G];
    return implement(spec, async (req) => (await load())[name as keyof G](req));
  });
}
