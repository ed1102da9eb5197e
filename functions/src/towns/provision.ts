import { findTown, provisionTown } from '@gridline/data';
import { AppError, FIRST_ADMIN_SCOPE, sameTownSpec } from '@gridline/domain';
import { IdentityConflictError } from '@gridline/identity';
import { accounts } from '../identity';
import type { RouteRequest } from '../pipeline/route';
import type { registry } from './routes';

// Provisioning a town (the account directory comes with it): loaded on first use.
export const putTown = async ({ params, body, principal, now }: RouteRequest<typeof registry.putTown>) => {
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
};
