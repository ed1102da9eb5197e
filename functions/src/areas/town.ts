import { forTown } from '@gridline/data';
import { areaHandler, implement } from '../pipeline/route';
import { routes } from '../routes';

export const townRoutes = [
  implement(routes.me, async ({ principal, town }) => ({
    body: { user: { username: principal.username, role: principal.role, scope: principal.scope }, town },
  })),

  implement(routes.hierarchy, async ({ principal }) => ({ body: await forTown(principal.townId).hierarchy() })),

  implement(routes.townConfig, async ({ principal }) => ({ body: await forTown(principal.townId).config() })),

  implement(routes.townSummary, async ({ principal }) => ({ body: await forTown(principal.townId).counters() })),

  implement(routes.staff, async ({ principal, query }) => ({
    body: await forTown(principal.townId).staffPage(query.limit, query.cursor),
  })),
];

export const handler = areaHandler(townRoutes);
