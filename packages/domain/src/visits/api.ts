import { day, paragraph } from '../common/shapes';
import * as z from '../common/zod';
import { entityIdSchema } from '../ids';
import type { TownRole } from '../rules';

/*
 * Household visits (下户走访, issue 14): the due list, a household's visit page, a visit as the device
 * sends it and as the API answers it. The cycle arithmetic is in ./cycle, the decisions in ./rules.
 */

/** Who reads the due lists, households' visit pages and visits (here, not in ./rules, so the eagerly loaded route table stays small). */
export const VISITS_READ: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator', 'auditor'];
/** Who records visits (a coordinator in their grids, staff in their communities). */
export const VISITS_WRITE: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator'];

/** Kinds of visit: routine (例行走访), follow-up (回访), special group (特殊人群走访), key group (重点人群走访). */
export const VISIT_KINDS = ['routine', 'follow_up', 'special_group', 'key_group'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/**
 * The checklist of each kind: every id is a FINDING (something found); a visit with nothing found has
 * no checks. Labels live in the web catalogs.
 */
export const VISIT_CHECKS: Readonly<Record<VisitKind, readonly string[]>> = {
  routine: ['safety_hazard', 'needs_help', 'conflict', 'info_changed', 'absent'],
  follow_up: ['problem_persists', 'needs_help', 'info_changed', 'absent'],
  special_group: ['health_concern', 'living_difficulty', 'needs_help', 'safety_hazard', 'info_changed', 'absent'],
  key_group: ['abnormal_behaviour', 'not_at_home', 'needs_help', 'info_changed'],
};

/** Marks a stored visit carries: the household changed after the device saw it, or was closed. */
export const VISIT_FLAGS = ['household_changed', 'household_closed'] as const;
export type VisitFlag = (typeof VISIT_FLAGS)[number];

/** People a visit may name as seen, and notes' length. */
export const MAX_VISIT_SEEN = 20;
export const MAX_VISIT_NOTE = 500;
/** How far a visit's time may lie ahead of the server's clock (device clocks drift) and behind it (offline days). */
export const VISIT_AHEAD_MS = 5 * 60_000;
export const VISIT_BEHIND_DAYS = 14;

export const visitKindSchema = z.enum(VISIT_KINDS);
export const visitFlagSchema = z.enum(VISIT_FLAGS);

const limit = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), fallback);
const cursor = z.optional(z.string().check(z.minLength(1), z.maxLength(2048)));

/** The due list of one grid or one community (exactly one), due on or before `through` (default today). */
export const visitDueQuerySchema = z
  .strictObject({
    gridId: z.optional(entityIdSchema),
    communityId: z.optional(entityIdSchema),
    through: z.optional(day),
    limit: limit(50),
    cursor,
  })
  .check(
    z.refine((q) => (q.gridId === undefined) !== (q.communityId === undefined), {
      message: 'Name exactly one grid or one community.',
      path: ['gridId'],
    }),
  );
export type VisitDueQuery = z.infer<typeof visitDueQuerySchema>;

/** One household of a due list (and the head of a household's visit page). */
export const dueHouseholdSchema = z.object({
  householdId: entityIdSchema,
  gridId: entityIdSchema,
  communityId: entityIdSchema,
  courtyardId: z.optional(entityIdSchema),
  door: z.string(),
  code: z.optional(z.string()),
  cycleDays: z.int(),
  /** Tags giving the cycle; key-group tags read `key_group` without the key-groups permission. */
  drivenBy: z.array(z.string()),
  due: day,
  lastVisitOn: z.optional(day),
  overdueDays: z.int().check(z.minimum(0)),
  /** The state's version: the device sends it back as `seenVersion` with a visit. */
  version: z.int(),
});
export type DueHousehold = z.infer<typeof dueHouseholdSchema>;

export const visitDuePageSchema = z.object({ today: day, items: z.array(dueHouseholdSchema), cursor: z.optional(z.string()) });
export type VisitDuePage = z.infer<typeof visitDuePageSchema>;

/** A visit as the device sends it; `visitId` is made on the device, so a replay of it is recognised. */
export const visitBodySchema = z.strictObject({
  visitId: entityIdSchema,
  gridId: entityIdSchema,
  householdId: entityIdSchema,
  visitedAt: z.iso.datetime({ offset: true }),
  kind: visitKindSchema,
  seen: z.array(entityIdSchema).check(z.maxLength(MAX_VISIT_SEEN)),
  checks: z.array(z.string().check(z.minLength(1), z.maxLength(40))).check(z.maxLength(10)),
  note: z.optional(paragraph(MAX_VISIT_NOTE)),
  seenVersion: z.optional(z.int().check(z.minimum(0))),
});
export type VisitBody = z.infer<typeof visitBodySchema>;

/** A visit as the API answers it, with the household's due after it; `replayed` when it was already stored. */
export const visitViewSchema = z.object({
  visitId: entityIdSchema,
  gridId: entityIdSchema,
  householdId: entityIdSchema,
  visitedAt: z.string(),
  on: day,
  kind: visitKindSchema,
  seen: z.array(z.string()),
  checks: z.array(z.string()),
  note: z.optional(z.string()),
  by: z.string(),
  recordedAt: z.string(),
  flags: z.array(visitFlagSchema),
  due: z.optional(day),
  replayed: z.boolean(),
});
export type VisitView = z.infer<typeof visitViewSchema>;

export const visitPageSchema = z.object({ items: z.array(visitViewSchema), cursor: z.optional(z.string()) });
export type VisitPage = z.infer<typeof visitPageSchema>;

/** The caller's own visits, newest first. */
export const visitMineQuerySchema = z.strictObject({ limit: limit(50), cursor });

/** A member of a household as the visit page shows one: masked phone, key-group tags only with the permission. */
export const visitMemberSchema = z.object({
  personId: entityIdSchema,
  name: z.string(),
  relation: z.string(),
  phoneMasked: z.optional(z.string()),
  tags: z.array(z.string()),
  keyTags: z.optional(z.array(z.string())),
});
export type VisitMember = z.infer<typeof visitMemberSchema>;

/** A household's visit page: its state, its active members, its latest visits (newest first). */
export const visitHouseholdSchema = z.object({
  today: day,
  household: dueHouseholdSchema,
  members: z.array(visitMemberSchema),
  visits: z.array(visitViewSchema),
});
export type VisitHousehold = z.infer<typeof visitHouseholdSchema>;

export const visitHouseholdParamsSchema = z.strictObject({ gridId: entityIdSchema, householdId: entityIdSchema });
