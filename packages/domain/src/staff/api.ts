import { isoTime, line, paragraph, version } from '../common/shapes';
import * as z from '../common/zod';
import { entityIdSchema, usernameSchema } from '../ids';
import { staffViewSchema } from '../org/api';
import { STAFF_ROLES } from './roles';

/*
 * Staff of the roles other than grid coordinator (社区工作人员, 调解员, 审计员, and further town admins),
 * managed on the team page: invite, change role or scope, disable, enable. A coordinator's sign-in
 * follows their team record instead (decisions 66–67). The rules are in ./rules.
 */

const communityIds = z.array(entityIdSchema).check(z.maxLength(50));

export const staffRoleSchema = z.enum(STAFF_ROLES);

/** An invitation: the sign-in (it must start with `<townId>.`), the person's name, the role and the communities it covers. */
export const staffInviteSchema = z.strictObject({
  username: usernameSchema,
  name: line(40),
  role: staffRoleSchema,
  communityIds: z.optional(communityIds),
});
export type StaffInvite = z.infer<typeof staffInviteSchema>;

/** A change of role, of scope, or both, at the version read. */
export const staffChangeSchema = z.strictObject({
  role: z.optional(staffRoleSchema),
  communityIds: z.optional(communityIds),
  version,
});
export type StaffChange = z.infer<typeof staffChangeSchema>;

/** Disabling a sign-in says why; enabling may. */
export const staffDisableSchema = z.strictObject({ reason: paragraph(500) });
export const staffEnableSchema = z.strictObject({ reason: z.optional(paragraph(500)) });

/** A staff member as the team page shows them: the listing's fields, the status and the version to change at. */
export const staffMemberSchema = z.object({
  ...staffViewSchema.shape,
  status: z.enum(['active', 'disabled']),
  version,
  createdAt: z.optional(isoTime),
  updatedAt: z.optional(isoTime),
  disabledReason: z.optional(z.string()),
  /** Only in the answer to an invitation when the directory hands out a one-time password (the local one): never stored. */
  initialCredentials: z.optional(z.object({ username: z.string(), temporaryPassword: z.string() })),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

/** One entry of a staff member's history. */
export const staffEventSchema = z.object({
  eventId: z.string(),
  at: isoTime,
  actor: z.string(),
  kind: z.enum(['invite', 'change', 'disable', 'enable']),
  details: z.record(z.string(), z.unknown()),
});
export type StaffEvent = z.infer<typeof staffEventSchema>;

export const staffDetailSchema = z.object({ staff: staffMemberSchema, history: z.array(staffEventSchema) });
export type StaffDetail = z.infer<typeof staffDetailSchema>;
