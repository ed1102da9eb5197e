import {
  countyReconciliation,
  findTown,
  getItem,
  getTown,
  listTowns,
  platformKeys,
  provisionTown,
  publicFields,
  readRollup,
  rollupFiles,
  rollupTrend,
  setTownStatus,
} from '@gridline/data';
import { AppError, FIRST_ADMIN_SCOPE, parsePeriod, periodContaining, sameTownSpec } from '@gridline/domain';
import { IdentityConflictError } from '@gridline/identity';
import { accounts } from '../identity';
import { reconcileNow } from '../jobs/reconcile';
import { runRollupNow } from '../jobs/rollup';
import { areaHandler, implement } from '../pipeline/route';
import { routes } from '../routes';

export const countyRoutes = [
  implement(routes.countySummary, async () => {
    const counters = await getItem<Record<string, unknown>>(platformKeys.counters());
    const c = counters ? publicFields<{ towns?: number; townsActive?: number }>(counters) : {};
    const towns = c.towns ?? 0;
    const active = c.townsActive ?? 0;
    return { body: { towns, active, suspended: towns - active } };
  }),

  implement(routes.rollupShow, async ({ query }) => {
    const view = await readRollup(query.period);
    if (!view) throw new AppError('rollup.not_found', 404, 'This period has not been rolled up yet.', { field: 'query.period' });
    return { body: view };
  }),

  implement(routes.rollupTrend, async ({ query, now }) => {
    const to = query.to ?? periodContaining(now, query.kind);
    if (parsePeriod(to)?.kind !== query.kind)
      throw new AppError('period.invalid', 400, "The last period must be of the trend's kind.", { field: 'query.to' });
    return { body: { metric: query.metric, kind: query.kind, points: await rollupTrend(query.metric, to, 12) } };
  }),

  implement(routes.rollupRun, async ({ body, now }) => ({ body: await runRollupNow(body.period, now) })),

  implement(routes.rollupFile, async ({ params, query }) => {
    const view = await readRollup(params.period);
    if (!view) throw new AppError('rollup.not_found', 404, 'This period has not been rolled up yet.', { field: 'params.period' });
    // Rendered from the stored items by the same code as the job's files, so the bytes are the same.
    const bytes = rollupFiles(view)[query.format];
    return { body: { fileName: `gridline-rollup-${params.period}.${query.format}`, contentBase64: Buffer.from(bytes).toString('base64') } };
  }),

  implement(routes.listTowns, async ({ query }) => ({ body: await listTowns(query.limit, query.cursor) })),

  implement(routes.getTown, async ({ params }) => ({ body: await getTown(params.townId) })),

  implement(routes.putTown, async ({ params, body, principal, now }) => {
    // Check the spec first, then the account, then write the town: every step converges on a re-run.
    const existing = await findTown(params.townId);
    if (existing && !sameTownSpec(existing, body))
      throw new AppError('town.conflict', 409, 'A town with this id exists with a different specification.');
    let initial: { created: boolean; temporaryPassword?: string };
    try {
      initial = await (await accounts()).ensureUser({
        username: body.admin.username,
        displayName: body.admin.displayName,
        role: 'town_admin',
        townId: params.townId,
        scope: FIRST_ADMIN_SCOPE,
      });
    } catch (e) {
      if (e instanceof IdentityConflictError)
        throw new AppError('user.conflict', 409, 'That username is taken by another account.', { field: 'body.admin.username' });
      throw e;
    }
    const { town, created } = await provisionTown(params.townId, body, principal.username, now, existing ?? null);
    return {
      status: created ? 201 : 200,
      body: {
        town,
        ...(initial.temporaryPassword
          ? { initialCredentials: { username: body.admin.username, temporaryPassword: initial.temporaryPassword } }
          : {}),
      },
    };
  }),

  implement(routes.suspendTown, async ({ params, principal, now }) => ({
    body: await setTownStatus(params.townId, 'suspended', principal.username, now),
  })),

  implement(routes.resumeTown, async ({ params, principal, now }) => ({
    body: await setTownStatus(params.townId, 'active', principal.username, now),
  })),

  implement(routes.reconcileTownCounty, async ({ params, principal, body, now }) => {
    await getTown(params.townId);
    // The recount runs as the town's own session (the job); the county sees counts only.
    return { body: countyReconciliation(await reconcileNow(params.townId, now, body.fix, principal.username)) };
  }),
];

export const handler = areaHandler(countyRoutes);
