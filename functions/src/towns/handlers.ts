import { getTown as readTown, listTowns as townPage, setTownStatus } from '@gridline/data';
import { countyReconciliation } from '@gridline/data/recount';
import type { RouteRequest } from '../pipeline/route';
import type { registry } from './routes';

/*
 * The county's registry of towns (a town's own routes are in own-town.ts, so that neither function
 * bundles the other's chunks). Bound when the area loads: they need only what every request loads. Provisioning (the account
 * directory) and the county's recount (the reconcile job) are imported inside their handlers on first
 * use: bundled, each is a chunk of its own.
 */
type County<K extends keyof typeof registry> = RouteRequest<(typeof registry)[K]>;

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
