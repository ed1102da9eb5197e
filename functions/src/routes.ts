import type * as z from '@gridline/domain/zod';
import { book, bookMap } from './book/routes';
import { calendarCounty, calendarTown } from './calendar/routes';
import { imports } from './imports/routes';
import { matterRoutes } from './matters/routes';
import { mediationRoutes } from './mediation/routes';
import { visitRoutes } from './visits/routes';
import { visitAdminRoutes } from './visits/admin-routes';
import { orgChanges, orgReads } from './org/routes';
import { countyConsole, platform } from './platform/routes';
import { rollups } from './rollups/routes';
import { type RouteGroup, type RouteSpec, routeKey } from './spec';
import { postRoutes } from './posts/routes';
import { staffRoutes } from './staff/routes';
import { teamContacts } from './team/contacts-routes';
import { teamRoutes } from './team/routes';
import { ownTown, registry } from './towns/routes';
import { trainingRoutes } from './training/routes';
import { uploadRoutes } from './uploads/routes';

export { type Audience, type Method, pageQuery, type RouteSpec, routeKey } from './spec';

type Merged<G extends readonly RouteGroup[]> = G extends readonly [infer H, ...infer T extends readonly RouteGroup[]]
  ? H & Merged<T>
  : unknown;

/**
 * The capability groups as one table. Throws when two routes share a name, an id or a route key
 * (spreading the groups would silently keep the last one).
 */
export function compose<const G extends readonly RouteGroup[]>(...groups: G): { [K in keyof Merged<G>]: Merged<G>[K] } {
  const table: Record<string, RouteSpec> = {};
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const group of groups)
    for (const [name, spec] of Object.entries(group)) {
      if (name in table) throw new Error(`Two routes are named ${name}.`);
      if (ids.has(spec.id)) throw new Error(`Two routes have the id ${spec.id}.`);
      if (keys.has(routeKey(spec))) throw new Error(`Two routes answer ${routeKey(spec)}.`);
      ids.add(spec.id);
      keys.add(routeKey(spec));
      table[name] = spec;
    }
  return table as { [K in keyof Merged<G>]: Merged<G>[K] };
}

/**
 * Every route of the API, by name: each capability declares its own in `<capability>/routes.ts`. The
 * order is the order of docs/openapi.json's paths.
 */
export const routes = compose(
  platform,
  countyConsole,
  rollups,
  registry,
  ownTown,
  orgChanges,
  book,
  imports,
  bookMap,
  orgReads,
  teamRoutes,
  postRoutes,
  staffRoutes,
  trainingRoutes,
  teamContacts,
  uploadRoutes,
  calendarCounty,
  calendarTown,
  matterRoutes,
  visitRoutes,
  visitAdminRoutes,
  mediationRoutes,
);

export type RouteId = keyof typeof routes;

// Fails to compile when a route of the table has no response schema.
routes satisfies Record<RouteId, { response: z.core.$ZodType }>;

/** The route table as a list, in a stable order. */
export const routeTable: readonly RouteSpec[] = Object.values(routes);

/** The areas, i.e. the deployed functions, each serving its routes. */
export const areas = [...new Set(routeTable.map((r) => r.area))];
