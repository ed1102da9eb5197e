import { findTown, getItem, getTown, listTowns, platformKeys, provisionTown, publicFields, setTownStatus } from '@gridline/data';
import { AppError, FIRST_ADMIN_SCOPE, sameTownSpec } from '@gridline/domain';
import { IdentityConflictError } from '@gridline/identity';
import { accounts } from '../identity';
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
];

export const handler = areaHandler(countyRoutes);
