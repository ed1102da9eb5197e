import { countTowns, countyReconciliation, getTown, listTowns, setTownStatus } from '@gridline/data';
import { lazy } from '../pipeline/lazy';
import { areaHandler, implement } from '../pipeline/route';
import { routes } from '../routes';

/*
 * The county's reads of the registry stay here; the rollup reports (and the XLSX writer behind their
 * files) and provisioning (the account directory) are imported on their first request, each a chunk
 * of its own when bundled.
 */
const rollup = lazy(() => import('./county/rollup'));
const provision = lazy(() => import('./county/provision'));

export const countyRoutes = [
  implement(routes.countySummary, async () => {
    const { towns, active, suspended } = await countTowns();
    return { body: { towns, active, suspended } };
  }),

  implement(routes.rollupShow, async (req) => (await rollup()).rollupShow(req)),
  implement(routes.rollupTrend, async (req) => (await rollup()).rollupTrendRoute(req)),
  implement(routes.rollupRun, async (req) => (await rollup()).rollupRun(req)),
  implement(routes.rollupFile, async (req) => (await rollup()).rollupFile(req)),

  implement(routes.listTowns, async ({ query }) => ({ body: await listTowns(query.limit, query.cursor) })),

  implement(routes.getTown, async ({ params }) => ({ body: await getTown(params.townId) })),

  implement(routes.putTown, async (req) => (await provision()).putTown(req)),

  implement(routes.suspendTown, async ({ params, principal, now }) => ({
    body: await setTownStatus(params.townId, 'suspended', principal.username, now),
  })),

  implement(routes.resumeTown, async ({ params, principal, now }) => ({
    body: await setTownStatus(params.townId, 'active', principal.username, now),
  })),

  implement(routes.reconcileTownCounty, async ({ params, principal, body, now }) => {
    await getTown(params.townId);
    // The recount runs as the town's own session (the job); the county sees counts only.
    const { reconcileNow } = await import('../jobs/reconcile');
    return { body: countyReconciliation(await reconcileNow(params.townId, now, body.fix, principal.username)) };
  }),
];

export const handler = areaHandler(countyRoutes);
