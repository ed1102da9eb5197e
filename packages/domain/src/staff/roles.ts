/**
 * The roles managed as staff. A town admin may invite another town admin (a town needs a second one to
 * hand over or be covered; decision 77); the key-group permission is never granted by an invitation.
 */
export const STAFF_ROLES = ['town_admin', 'community_staff', 'mediator', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const isStaffRole = (r: string): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r);
