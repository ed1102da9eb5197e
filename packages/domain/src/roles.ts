import * as z from 'zod';

export const COUNTY_ROLES = ['county_admin'] as const;
export const TOWN_ROLES = ['town_admin', 'community_staff', 'grid_coordinator', 'mediator', 'auditor'] as const;
export const ROLES = [...COUNTY_ROLES, ...TOWN_ROLES] as const;

export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
export type CountyRole = (typeof COUNTY_ROLES)[number];
export type TownRole = (typeof TOWN_ROLES)[number];

export const isCountyRole = (r: Role): r is CountyRole => (COUNTY_ROLES as readonly string[]).includes(r);
export const isTownRole = (r: Role): r is TownRole => (TOWN_ROLES as readonly string[]).includes(r);
