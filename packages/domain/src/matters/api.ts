import { charCount } from '../fields';
import { count, day, isoTime, line, paragraph, version } from '../common/shapes';
import * as z from '../common/zod';
import { entityIdSchema, townIdSchema, usernameSchema } from '../ids';
import {
  type LadderConfig,
  MATTER_ACTIONS,
  MATTER_CHANNELS,
  MATTER_LEVELS,
  MATTER_STATUSES,
  MATTER_URGENCIES,
  SATISFACTIONS,
  VISIT_METHODS,
} from './ladder';

/*
 * Matters (事件): what intake takes, what each action on the ladder takes, and the matter as the API
 * answers it. The ladder itself is in ./ladder, the decisions in ./rules.
 */

/** A reason the ladder asks for (skip, send back, dissatisfaction…): 2–500 characters. */
const reason = paragraph(500).check(z.refine((s) => charCount(s) >= 2, { message: 'At least 2 characters.' }));
const attachmentIds = z.optional(z.array(entityIdSchema).check(z.maxLength(20)));

export const matterLevelSchema = z.enum(MATTER_LEVELS);
export const matterStatusSchema = z.enum(MATTER_STATUSES);
export const matterActionNameSchema = z.enum(MATTER_ACTIONS);
export const matterUrgencySchema = z.enum(MATTER_URGENCIES);
export const matterChannelSchema = z.enum(MATTER_CHANNELS);
export const satisfactionSchema = z.enum(SATISFACTIONS);

/** A point on the town's map (WGS 84 or GCJ-02, as the town's maps use; the map setting says which). */
export const pointSchema = z.strictObject({
  lng: z.number().check(z.minimum(-180), z.maximum(180)),
  lat: z.number().check(z.minimum(-90), z.maximum(90)),
});

/**
 * Who reported it: a person of the book, or someone named in free text with an optional phone (in clear
 * over TLS only: the store seals it and answers it masked, as the book does).
 */
export const reporterSchema = z.union([
  z.strictObject({ personId: entityIdSchema }),
  z.strictObject({ name: line(40), phone: z.optional(z.string().check(z.minLength(1), z.maxLength(40))) }),
]);
export type ReporterInput = z.infer<typeof reporterSchema>;

/**
 * Intake (登记): category from the town's catalogue, the place (grid, optionally a courtyard and a
 * household of the book, optionally a point), what happened, who reported it, how urgent, how it came in
 * (a hotline order carries its reference, e.g. the 12345 work-order number) and attachments already
 * uploaded.
 */
export const matterIntakeSchema = z
  .strictObject({
    categoryId: entityIdSchema,
    gridId: entityIdSchema,
    courtyardId: z.optional(entityIdSchema),
    householdId: z.optional(entityIdSchema),
    point: z.optional(pointSchema),
    description: paragraph(2000),
    reporter: reporterSchema,
    urgency: matterUrgencySchema,
    channel: matterChannelSchema,
    hotlineRef: z.optional(line(40)),
    attachmentIds,
  })
  .check(
    z.refine((m) => (m.channel === 'hotline') === (m.hotlineRef !== undefined), {
      message: 'A hotline order carries its reference, and only a hotline order does.',
      path: ['hotlineRef'],
    }),
  );
export type MatterIntake = z.infer<typeof matterIntakeSchema>;

const act = <A extends string, S extends Record<string, z.core.SomeType>>(action: A, shape: S) =>
  z.strictObject({ action: z.literal(action), version, attachmentIds, ...shape });

/**
 * One action on a matter, at the version the caller read (a stale one is refused with 409 and the
 * current matter). Reasons are asked where the ladder needs them (./ladder `reason`).
 */
export const matterActionSchema = z.discriminatedUnion('action', [
  act('accept', { note: z.optional(paragraph(500)) }),
  act('resolve', { resolution: paragraph(2000).check(z.refine((s) => charCount(s) >= 2, { message: 'At least 2 characters.' })) }),
  act('escalate', { reason }),
  act('skip', { to: matterLevelSchema, reason }),
  /** Down to `to`, or to the next level in use below when absent. */
  act('send_back', { to: z.optional(matterLevelSchema), reason }),
  act('reassign', { assignee: usernameSchema, reason: z.optional(reason) }),
  act('merge', { targetId: entityIdSchema, reason }),
  act('transfer', { department: line(80), reason }),
  /** `until`: the day the level asks to have until; the calendar reads it, the rules only keep it. */
  act('request_extension', { until: day, reason }),
  act('approve_extension', { reason: z.optional(reason) }),
  act('reject_extension', { reason }),
  act('return_visit', {
    reachedBy: z.enum(VISIT_METHODS),
    satisfaction: satisfactionSchema,
    /** Why the resident is dissatisfied: required then, optional otherwise. */
    reason: z.optional(reason),
  }).check(
    z.refine((v) => v.satisfaction !== 'dissatisfied' || v.reason !== undefined, {
      message: 'Say why the resident is dissatisfied.',
      path: ['reason'],
    }),
  ),
  act('close_without_visit', { reason }),
]);
export type MatterActionInput = z.infer<typeof matterActionSchema>;

/** A town's ladder: levels in use (grid and town always, lowest first), skipping, transfers. */
export const ladderConfigSchema = z.strictObject({
  levels: z
    .array(matterLevelSchema)
    .check(
      z.refine(
        (ls) =>
          ls.includes('grid') &&
          ls.includes('town') &&
          ls.every((l, i) => i === 0 || MATTER_LEVELS.indexOf(l) > MATTER_LEVELS.indexOf(ls[i - 1] as never)),
        { message: 'The levels in use, lowest first, each once; the grid and the town always.' },
      ),
    ),
  allowSkip: z.boolean(),
  allowTransfer: z.boolean(),
}) satisfies z.ZodMiniType<LadderConfig>;

const extensionSchema = z.object({
  level: matterLevelSchema,
  until: day,
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: isoTime,
  /** `lapsed`: the matter left the level (or was resolved) before anyone decided. */
  status: z.enum(['requested', 'approved', 'rejected', 'lapsed']),
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(isoTime),
  decisionReason: z.optional(z.string()),
});
export type MatterExtension = z.infer<typeof extensionSchema>;

/** A matter as the API answers it. The reporter's phone is masked; the sealed value never leaves the store. */
export const matterSchema = z.object({
  matterId: entityIdSchema,
  townId: townIdSchema,
  version,
  status: matterStatusSchema,
  /** The level it stands at; a resolved or closed matter stays at the level that resolved it. */
  level: matterLevelSchema,
  /** When it reached its level (the level's clock starts here). */
  levelSince: isoTime,
  acceptedAt: z.optional(isoTime),
  /** Who at the level answers for it: whoever accepted it, or whom it was reassigned to. */
  assignee: z.optional(z.string()),
  categoryId: entityIdSchema,
  gridId: entityIdSchema,
  communityId: entityIdSchema,
  courtyardId: z.optional(entityIdSchema),
  householdId: z.optional(entityIdSchema),
  point: z.optional(pointSchema),
  description: z.string(),
  reporter: z.union([z.object({ personId: entityIdSchema }), z.object({ name: z.string(), phoneMasked: z.optional(z.string()) })]),
  urgency: matterUrgencySchema,
  channel: matterChannelSchema,
  hotlineRef: z.optional(z.string()),
  attachmentIds: z.array(entityIdSchema),
  resolution: z.optional(z.object({ text: z.string(), by: z.string(), at: isoTime })),
  transfer: z.optional(z.object({ department: z.string(), by: z.string(), at: isoTime })),
  extensions: z.array(extensionSchema),
  reopens: count,
  /** Matters merged into this one. */
  duplicates: count,
  mergedInto: z.optional(entityIdSchema),
  closure: z.optional(
    z.object({
      how: z.enum(['visit', 'no_visit']),
      satisfaction: z.optional(satisfactionSchema),
      reachedBy: z.optional(z.enum(VISIT_METHODS)),
      reason: z.optional(z.string()),
      by: z.string(),
      at: isoTime,
    }),
  ),
  raisedBy: z.string(),
  raisedAt: isoTime,
  updatedAt: isoTime,
});
export type MatterView = z.infer<typeof matterSchema>;

/** One entry of a matter's timeline: who, when, what, at which level, and the attachments that came with it. */
export const matterEventSchema = z.object({
  kind: z.string(),
  at: isoTime,
  actor: z.string(),
  level: matterLevelSchema,
  status: matterStatusSchema,
  details: z.record(z.string(), z.unknown()),
  attachmentIds: z.optional(z.array(entityIdSchema)),
});
export type MatterEvent = z.infer<typeof matterEventSchema>;
