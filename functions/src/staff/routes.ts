import {
  STAFF_READ,
  staffChangeSchema,
  staffDetailSchema,
  staffDisableSchema,
  staffEnableSchema,
  staffInviteSchema,
  staffMemberSchema,
  TOWN_ADMIN,
  usernameSchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import type { RouteSpec } from '../spec';

const staffParams = z.strictObject({ username: usernameSchema });

/** A town route over its staff: names of people, never cached. */
const staff = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

/**
 * Staff of the roles other than grid coordinator (community staff, mediators, auditors, other admins),
 * managed on the team page: invite, read with history, change role or scope, disable, enable. The list
 * is `town.staff` (GET /town/staff). Town admins alone change anything.
 */
export const staffRoutes = {
  inviteStaff: staff({
    id: 'staff.invite',
    success: [201],
    response: staffMemberSchema,
    method: 'POST',
    path: '/town/staff',
    roles: TOWN_ADMIN,
    body: staffInviteSchema,
    summary: 'Invite a staff member: their sign-in is made (the local directory answers its one-time password once)',
  }),
  getStaff: staff({
    id: 'staff.get',
    response: staffDetailSchema,
    method: 'GET',
    path: '/town/staff/{username}',
    roles: STAFF_READ,
    params: staffParams,
    summary: "A staff member's record and history",
  }),
  changeStaff: staff({
    id: 'staff.change',
    response: staffMemberSchema,
    method: 'PATCH',
    path: '/town/staff/{username}',
    roles: TOWN_ADMIN,
    params: staffParams,
    body: staffChangeSchema,
    summary: "Change a staff member's role or communities (their tokens are ended)",
  }),
  disableStaff: staff({
    id: 'staff.disable',
    response: staffMemberSchema,
    method: 'POST',
    path: '/town/staff/{username}/disable',
    roles: TOWN_ADMIN,
    params: staffParams,
    body: staffDisableSchema,
    summary: "Disable a staff member's sign-in at once, with a reason",
  }),
  enableStaff: staff({
    id: 'staff.enable',
    response: staffMemberSchema,
    method: 'POST',
    path: '/town/staff/{username}/enable',
    roles: TOWN_ADMIN,
    params: staffParams,
    body: staffEnableSchema,
    summary: "Enable a disabled staff member's sign-in again",
  }),
} as const;
