import { count, isoTime, version } from '../common/shapes';
import * as z from '../common/zod';
import { labelSchema, pageOf } from '../common/api';
import { townIdSchema, usernameSchema } from '../ids';
import { boundarySchema } from '../org/api';
import { scopeSchema } from '../principal';
import { TOWN_KINDS, TOWN_ROLES } from '../rules';

/*
 * Towns: provisioning by county IT (spec, record, summary), and a town's own view of itself (who is
 * signed in, its configuration, its counters, its population map).
 */

export const townStatusSchema = z.enum(['active', 'suspended']);
export type TownStatus = z.infer<typeof townStatusSchema>;

const displayName = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));

/** What county IT sends to provision a town; the same spec again is a no-op, a different one a conflict. */
export const townSpecSchema = z.strictObject({
  name: displayName,
  nameEn: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(96))),
  kind: z._default(z.enum(TOWN_KINDS), 'town'),
  admin: z.strictObject({
    username: usernameSchema,
    displayName,
  }),
});
export type TownSpec = z.infer<typeof townSpecSchema>;

export const townIdParams = z.strictObject({ townId: townIdSchema });

/** Compares the parts of a spec that define a town; used to tell a replay from a conflicting request. */
export function sameTownSpec(a: TownSpec, b: TownSpec): boolean {
  return (
    a.name === b.name &&
    (a.nameEn ?? null) === (b.nameEn ?? null) &&
    a.kind === b.kind &&
    a.admin.username === b.admin.username &&
    a.admin.displayName === b.admin.displayName
  );
}

// County: the towns it provisioned.

export const townSchema = z.object({
  townId: z.string(),
  name: z.string(),
  nameEn: z.optional(z.string()),
  kind: z.enum(TOWN_KINDS),
  status: townStatusSchema,
  admin: z.object({ username: z.string(), displayName: z.string() }),
  createdAt: isoTime,
  updatedAt: isoTime,
  version,
});
export type Town = z.infer<typeof townSchema>;
export const townPageSchema = pageOf(townSchema);
export const countySummarySchema = z.object({ towns: count, active: count, suspended: count });
export type CountySummary = z.infer<typeof countySummarySchema>;
export const putTownResultSchema = z.object({
  town: townSchema,
  /** Locally only, and only when the admin account was created by this call. */
  initialCredentials: z.optional(z.object({ username: z.string(), temporaryPassword: z.string() })),
});
export type PutTownResult = z.infer<typeof putTownResultSchema>;

// A town: who is signed in, its configuration and counters.

export const townMeSchema = z.object({
  user: z.object({ username: z.string(), role: z.enum(TOWN_ROLES), scope: scopeSchema }),
  town: z.object({ townId: z.string(), name: z.string(), kind: z.enum(TOWN_KINDS), status: townStatusSchema }),
});
export type TownMe = z.infer<typeof townMeSchema>;

export const tagDefSchema = z.object({ id: z.string(), label: labelSchema });
export type TagDef = z.infer<typeof tagDefSchema>;
export const townConfigSchema = z.object({
  posts: z.array(tagDefSchema),
  sla: z.optional(z.record(z.string(), z.object({ acceptWorkingDays: z.number(), resolveWorkingDays: z.number() }))),
  visitCycles: z.optional(z.object({ householdDays: z.number(), byTag: z.record(z.string(), z.number()) })),
  specialGroups: z.optional(z.array(tagDefSchema)),
  keyGroups: z.optional(z.array(tagDefSchema)),
});
export type TownConfigView = z.infer<typeof townConfigSchema>;
/** Maintained counters by name (communities, grids, people, …). */
export const townCountersSchema = z.record(z.string(), z.number());
export type TownCounters = z.infer<typeof townCountersSchema>;

// The population map: counts per grid and courtyard, never a person.

const mapCounts = { households: count, people: count, floating: count, special: count };
export type MapCounts = { households: number; people: number; floating: number; special: number };
export const mapCourtyardSchema = z.object({ courtyardId: z.string(), name: z.string(), ...mapCounts });
export const mapGridSchema = z.object({
  gridId: z.string(),
  communityId: z.string(),
  name: z.string(),
  code: z.string(),
  boundary: z.optional(z.nullable(boundarySchema)),
  courtyards: z.array(mapCourtyardSchema),
  ...mapCounts,
  /** Households with a visit state, and those of them overdue for a visit (the grid's visit counters). */
  visitHouseholds: count,
  visitOverdue: count,
});
/** Counts for the population map: never a person, only how many. */
export const townMapSchema = z.object({ grids: z.array(mapGridSchema) });
export type MapCourtyard = z.infer<typeof mapCourtyardSchema>;
export type MapGrid = z.infer<typeof mapGridSchema>;
export type TownMap = z.infer<typeof townMapSchema>;
