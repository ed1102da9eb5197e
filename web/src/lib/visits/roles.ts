import type { Role, TownRole } from '@gridline/domain/rules';

/** Who reads visits and due lists (the contract's VISITS_READ). */
export const VISITS_READ: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator', 'auditor'];
/** Who records visits and proposes corrections (VISITS_WRITE), each within their scope. */
export const VISITS_WRITE: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator'];

export const canReadVisits = (role: Role): boolean => (VISITS_READ as readonly string[]).includes(role);
export const canRecordVisits = (role: Role): boolean => (VISITS_WRITE as readonly string[]).includes(role);
