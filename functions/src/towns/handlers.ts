import {
  countyReconciliation,
  forTown,
  getTown as readTown,
  listTowns as townPage,
  reconcileTown as recount,
  setTownStatus,
} from '@gridline/data';
import type { RouteRequest } from '../pipeline/route';
import type { ownTown, registry } from './routes';

/*
 * Bound when the area loads: they need only what every request loads. Provisioning (the account
 * directory) and the county's recount (the reconcile job) are imported inside their handlers on first
 * use: bundled, each is a chunk of its own.
 */
type County<K extends keyof typeof registry> = RouteRequest<(typeof registry)[K]>;
type Town<K extends keyof typeof ownTown> = RouteRequest<(typeof ownTown)[K]>;

// The county's registry.

export const listTowns = async ({ query }: County<'listTowns'>) => ({ body: await townPage(query.limit, query.cursor) });

export const putTown = async (req: County<'putTown'>) => (await import('./provision')).putTown(req);

export const getTown = async ({ params }: County<'getTown'>) => ({ body: await readTown(params.townId) });

export const suspendTown = async ({ params, principal, now }: County<'suspendTown'>) => ({
  body: await setTownStatus(params.townId, 'suspended', principal.username, now),
});

export const resumeTown = async ({ params, principal, now }: County<'resumeTown'>) => ({
  body: await setTownStatus(params.townId, 'active', principal.username, now),
});

export const reconcileTownCounty = async ({ params, principal, body, now }: County<'reconcileTownCounty'>) => {
  await readTown(params.townId);
  // The recount runs as the town's own session (the job); the county sees counts only.
  const { reconcileNow } = await import('../jobs/reconcile');
  return { body: countyReconciliation(await reconcileNow(params.townId, now, body.fix, principal.username)) };
};

// A town's view of itself.

export const me = async ({ principal, town }: Town<'me'>) => ({
  body: { user: { username: principal.username, role: principal.role, scope: principal.scope }, town },
});

export const hierarchy = async ({ principal }: Town<'hierarchy'>) => ({ body: await forTown(principal.townId).hierarchy() });

export const townConfig = async ({ principal }: Town<'townConfig'>) => ({ body: await forTown(principal.townId).config() });

export const townSummary = async ({ principal }: Town<'townSummary'>) => ({ body: await forTown(principal.townId).counters() });

export const reconcileTown = async ({ principal, body, now }: Town<'reconcileTown'>) => ({
  body: await recount(principal.townId, { now, fix: body.fix, actor: principal.username }),
});

export const staff = async ({ principal, query }: Town<'staff'>) => ({
  body: await forTown(principal.townId).staffPage(query.limit, query.cursor),
});
