import { AppError } from '../errors';
import type { TownRole } from '../rules';
import { type StaffRole, isStaffRole } from './roles';
export * from './roles';

/*
 * Staff of the roles other than grid coordinator: what each role's scope must be, and the refusals
 * that keep a town manageable (its last active admin stays, an admin does not lock themself out,
 * coordinators follow their team record). Pure: state in, decision out.
 */

/** A staff record as stored (the fields the rules look at). */
export type StaffRecord = {
  username: string;
  displayName: string;
  role: TownRole;
  communityIds: string[];
  gridIds: string[];
  status?: 'active' | 'disabled';
  version: number;
};

export const isActive = (s: Pick<StaffRecord, 'status'>) => (s.status ?? 'active') === 'active';

/**
 * The communities a role covers, checked: community staff need at least one (their community); a
 * mediator or auditor may be given some or none (none: the whole town); a town admin has the whole
 * town and is given none. No role here is given grids (only coordinators are, through their record).
 */
export function scopeOf(role: StaffRole, communityIds: readonly string[] | undefined): string[] {
  const list = [...(communityIds ?? [])];
  if (new Set(list).size !== list.length)
    throw new AppError('staff.duplicate_community', 400, 'A community is listed twice.', { field: 'body.communityIds' });
  if (role === 'community_staff' && list.length === 0)
    throw new AppError('staff.scope_required', 422, 'Community staff cover at least one community.', { field: 'body.communityIds' });
  if (role === 'town_admin' && list.length > 0)
    throw new AppError('staff.scope_not_allowed', 422, 'A town admin covers the whole town; give no communities.', {
      field: 'body.communityIds',
    });
  return list;
}

/** Coordinators are refused here: their sign-in follows their team record. */
export function checkManaged(target: Pick<StaffRecord, 'role'>): asserts target is StaffRecord & { role: StaffRole } {
  if (!isStaffRole(target.role))
    throw new AppError(
      'staff.coordinator_record',
      409,
      'A grid coordinator’s sign-in follows their team record: appoint, transfer or dismiss them on the team page.',
    );
}

/** The sign-in of an invitation must be of this town. */
export function checkUsername(townId: string, username: string): void {
  if (!username.startsWith(`${townId}.`) || username.length <= townId.length + 1)
    throw new AppError('staff.username_town', 422, `A sign-in of this town starts with "${townId}."`, { field: 'body.username' });
}

/** A record of `admins` leaves the town with no active admin if `target` stops being one. */
function checkNotLastAdmin(target: StaffRecord, others: readonly StaffRecord[]): void {
  if (target.role !== 'town_admin' || !isActive(target)) return;
  if (!others.some((o) => o.username !== target.username && o.role === 'town_admin' && isActive(o)))
    throw new AppError('staff.last_admin', 409, 'This is the town’s last active admin; make someone else an admin first.');
}

export type StaffPlan =
  | { kind: 'none'; record: StaffRecord }
  | { kind: 'save'; record: StaffRecord; before: StaffRecord; details: Record<string, unknown>; revoke: boolean };

/**
 * A change of role or scope. Asking for what the record already is changes nothing (a repeat after a
 * directory failure completes it); otherwise the version must be the one read, and the town keeps an
 * active admin. Every change ends the tokens the person holds (their claims changed).
 */
export function planStaffChange(
  target: StaffRecord,
  change: { role?: StaffRole | undefined; communityIds?: string[] | undefined; version: number },
  others: readonly StaffRecord[],
): StaffPlan {
  checkManaged(target);
  const role = change.role ?? target.role;
  const wanted = change.communityIds ?? (role === 'town_admin' ? [] : target.communityIds);
  const communityIds = scopeOf(role, wanted);
  const same = role === target.role && communityIds.join(' ') === target.communityIds.join(' ');
  if (same) return { kind: 'none', record: target };
  if (change.version !== target.version)
    throw new AppError('staff.version_conflict', 409, 'Someone changed this staff member first; reload and try again.');
  if (role !== 'town_admin') checkNotLastAdmin(target, others);
  return {
    kind: 'save',
    before: target,
    record: { ...target, role, communityIds, gridIds: [] },
    details: { from: { role: target.role, communityIds: target.communityIds }, to: { role, communityIds } },
    revoke: true,
  };
}

/** Disabling: not one's own sign-in, not the last active admin; an already disabled one is left as it is. */
export function planStaffDisable(actor: string, target: StaffRecord, reason: string, others: readonly StaffRecord[]): StaffPlan {
  checkManaged(target);
  if (target.username === actor) throw new AppError('staff.self', 409, 'You cannot disable your own sign-in.');
  if (!isActive(target)) return { kind: 'none', record: target };
  checkNotLastAdmin(target, others);
  return { kind: 'save', before: target, record: { ...target, status: 'disabled' }, details: { reason }, revoke: true };
}

/** Enabling a disabled sign-in; an active one is left as it is. Tokens from before the disabling stay refused. */
export function planStaffEnable(target: StaffRecord, reason: string | undefined): StaffPlan {
  checkManaged(target);
  if (isActive(target)) return { kind: 'none', record: target };
  return { kind: 'save', before: target, record: { ...target, status: 'active' }, details: reason ? { reason } : {}, revoke: false };
}
