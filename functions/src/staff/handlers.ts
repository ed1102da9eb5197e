import { staffOf } from '@gridline/data/staff';
import { AppError, type StaffMember, type TownPrincipal } from '@gridline/domain';
import type { RouteRequest } from '../pipeline/route';
import { followSaved, prepareAccount } from '../sign-in-order';
import type { staffRoutes } from './routes';

// The staff's routes: loaded on the first such request. Each change follows the shared order of
// ../sign-in-order.ts: account prepared, record saved (with the revocation), directory brought in line.
type R<K extends keyof typeof staffRoutes> = RouteRequest<(typeof staffRoutes)[K]>;

const mismatch = (cause: Error) =>
  new AppError(
    'staff.account_mismatch',
    409,
    'That sign-in belongs to another town or to a coordinator or staff of another role. Give another username.',
    { field: 'body.username', cause },
  );

/** The account brought in line with the saved record (its role, communities, enabled or not). */
const follow = (principal: TownPrincipal, s: StaffMember) =>
  followSaved(
    (d) => d.followStaff(s.username, principal.townId, { enabled: s.status === 'active', role: s.role, communityIds: s.communityIds }),
    mismatch,
    { username: s.username },
  );

const sameList = (a: readonly string[], b: readonly string[]) => a.join(' ') === b.join(' ');

export const inviteStaff = async ({ principal, body, now }: R<'inviteStaff'>) => {
  const staff = staffOf(principal);
  const { record, existing } = await staff.prepareInvite(body);
  if (existing) {
    // The same invitation again (its directory step failed after the save): complete it; else the sign-in is taken.
    const repeat = existing.role === record.role && sameList(existing.communityIds, record.communityIds) && existing.status === 'active';
    if (!repeat) throw new AppError('staff.exists', 409, 'That sign-in is already on the staff of this town.', { field: 'body.username' });
    await follow(principal, existing);
    return { status: 201, body: existing };
  }
  const temporaryPassword = await prepareAccount(
    {
      username: record.username,
      displayName: record.displayName,
      role: record.role,
      townId: principal.townId,
      scope: { communities: record.communityIds, grids: [] },
      disabled: true,
    },
    mismatch,
    { username: record.username },
  );
  const saved = await staff.invite(record, now);
  await follow(principal, saved);
  return {
    status: 201,
    body: temporaryPassword ? { ...saved, initialCredentials: { username: saved.username, temporaryPassword } } : saved,
  };
};

export const getStaff = async ({ principal, params }: R<'getStaff'>) => ({ body: await staffOf(principal).get(params.username) });

export const changeStaff = async ({ principal, params, body, now }: R<'changeStaff'>) => {
  const { record } = await staffOf(principal).change(params.username, body, now);
  await follow(principal, record);
  return { body: record };
};

export const disableStaff = async ({ principal, params, body, now }: R<'disableStaff'>) => {
  const { record } = await staffOf(principal).disable(params.username, body.reason, now);
  await follow(principal, record);
  return { body: record };
};

export const enableStaff = async ({ principal, params, body, now }: R<'enableStaff'>) => {
  const { record } = await staffOf(principal).enable(params.username, body.reason, now);
  await follow(principal, record);
  return { body: record };
};
