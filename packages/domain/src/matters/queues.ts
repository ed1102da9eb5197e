import { count, isoTime } from '../common/shapes';
import * as z from '../common/zod';
import { slaStateSchema } from '../calendar/api';
import { entityIdSchema } from '../ids';
import {
  ladderConfigSchema,
  matterActionNameSchema,
  matterChannelSchema,
  matterEventSchema,
  matterLevelSchema,
  matterSchema,
  matterStatusSchema,
  matterUrgencySchema,
} from './api';
import type { MatterClock } from './clock';
import type { MatterStatus, MATTER_LEVELS } from './ladder';
import type { Matter } from './rules';

/*
 * The queues of matters and the pages that read them: each queue is one Query on an index the writes
 * maintain (docs/access-patterns.md, "Matters"), answered as summaries; a matter's page is the matter,
 * its clock, its timeline and what the caller may do.
 */

/**
 * The queues: `mine` (what the caller holds), `level` (what waits at a level for a place the caller
 * handles: `place` is a grid for the grid level, a community for the community level, absent for the
 * town), `overdue` and `due_soon` (the town's running clocks past due or within one working day),
 * `visit` (resolved at a level for a place, awaiting the return visit), `category` and `grid` (every
 * matter of one, newest first).
 */
export const MATTER_QUEUES = ['mine', 'level', 'overdue', 'due_soon', 'visit', 'category', 'grid'] as const;
export type MatterQueue = (typeof MATTER_QUEUES)[number];

/** Statuses in which a matter waits in its level's queue (its clock runs, or a department has it). */
export const HANDLING_STATUSES: readonly MatterStatus[] = ['open', 'accepted', 'transferred'];

export const matterQueueQuerySchema = z
  .strictObject({
    queue: z.enum(MATTER_QUEUES),
    level: z.optional(matterLevelSchema),
    /** The grid (grid level) or community (community level) of a `level` or `visit` queue. */
    place: z.optional(entityIdSchema),
    categoryId: z.optional(entityIdSchema),
    gridId: z.optional(entityIdSchema),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  })
  .check(
    z.refine((q) => !['level', 'visit'].includes(q.queue) || q.level !== undefined, { message: 'Name the level.', path: ['level'] }),
    z.refine((q) => !['level', 'visit'].includes(q.queue) || q.level === 'town' || q.place !== undefined, {
      message: 'Name the grid or community.',
      path: ['place'],
    }),
    z.refine((q) => q.queue !== 'category' || q.categoryId !== undefined, { message: 'Name the category.', path: ['categoryId'] }),
    z.refine((q) => q.queue !== 'grid' || q.gridId !== undefined, { message: 'Name the grid.', path: ['gridId'] }),
  );
export type MatterQueueQuery = z.infer<typeof matterQueueQuerySchema>;

/** One line of a queue: enough to pick a matter, never the reporter. */
export const matterSummarySchema = z.object({
  matterId: entityIdSchema,
  status: matterStatusSchema,
  level: matterLevelSchema,
  categoryId: entityIdSchema,
  gridId: entityIdSchema,
  communityId: entityIdSchema,
  urgency: matterUrgencySchema,
  channel: matterChannelSchema,
  /** The description's first 60 characters. */
  excerpt: z.string(),
  assignee: z.optional(z.string()),
  due: z.nullable(isoTime),
  sla: z.nullable(slaStateSchema),
  reopens: count,
  raisedAt: isoTime,
  updatedAt: isoTime,
});
export type MatterSummary = z.infer<typeof matterSummarySchema>;

export const matterPageSchema = z.object({ items: z.array(matterSummarySchema), nextCursor: z.nullable(z.string()) });
export type MatterPage = z.infer<typeof matterPageSchema>;

export const matterClockSchema = z.object({
  kind: z.nullable(z.enum(['accept', 'resolve'])),
  due: z.nullable(isoTime),
  state: z.nullable(slaStateSchema),
  /** Years the deadline was counted through without their holiday calendar (weekends only). */
  withoutCalendar: z.array(z.int()),
});

/** A matter's page: the matter, its clock, its timeline (oldest first) and the actions the caller may take. */
export const matterDetailSchema = z.object({
  matter: matterSchema,
  clock: matterClockSchema,
  timeline: z.array(matterEventSchema),
  allowed: z.array(matterActionNameSchema),
});
export type MatterDetail = z.infer<typeof matterDetailSchema>;

/** The town's ladder as it answers, with its version. */
export const matterLadderSchema = z.object({ ladder: ladderConfigSchema, version: count });
export const matterLadderBodySchema = z.strictObject({ ladder: ladderConfigSchema, version: count });

/** The supervision board (督办): each level's running clocks by colour, and this month's flows. */
export const matterBoardSchema = z.object({
  levels: z.array(z.object({ level: matterLevelSchema, open: count, accepted: count, yellow: count, red: count })),
  transferred: count,
  awaitingVisit: count,
  month: z.object({
    period: z.string(),
    raised: count,
    resolved: count,
    resolvedOnTime: count,
    escalated: count,
    reopened: count,
    closed: count,
    satisfied: count,
    basicallySatisfied: count,
    dissatisfied: count,
  }),
  /** The red matters, most overdue first (at most 50). */
  red: z.array(matterSummarySchema),
  /** When the supervision job last ran for the town. */
  supervisedAt: z.nullable(isoTime),
});
export type MatterBoard = z.infer<typeof matterBoardSchema>;

/** An in-app notification of the supervision job: the 督办 of a matter to its handler and the level above. */
export const supervisionNotificationSchema = z.object({
  notificationId: z.string(),
  at: isoTime,
  kind: z.literal('supervision'),
  matterId: entityIdSchema,
  level: matterLevelSchema,
  state: slaStateSchema,
  due: isoTime,
  /** Why this person is told: they hold the matter, or they are the level above. */
  as: z.enum(['handler', 'level_above']),
});
/** An in-app notification of the morning visit reminders (issue 14): households due today and overdue in one's grids. */
export const visitsDueNotificationSchema = z.object({
  notificationId: z.string(),
  at: isoTime,
  kind: z.literal('visits_due'),
  on: z.iso.date(),
  dueToday: count,
  overdue: count,
});
/**
 * An in-app notification of the mediation follow-up job (issue 15): an agreement's follow-up (回访) is due
 * today, or is overdue, on a case the reader mediates.
 */
export const mediationFollowUpNotificationSchema = z.object({
  notificationId: z.string(),
  at: isoTime,
  kind: z.literal('mediation_follow_up'),
  caseId: entityIdSchema,
  /** The day the follow-up fell due (Asia/Shanghai). */
  due: z.iso.date(),
  overdue: z.boolean(),
});
/** Any in-app notification, told apart by its kind. */
export const notificationSchema = z.discriminatedUnion('kind', [
  supervisionNotificationSchema,
  visitsDueNotificationSchema,
  mediationFollowUpNotificationSchema,
]);
export const notificationsSchema = z.object({ items: z.array(notificationSchema) });
export type AppNotification = z.infer<typeof notificationSchema>;
export type SupervisionNotification = z.infer<typeof supervisionNotificationSchema>;

const EXCERPT = 60;

/** A matter's line in a queue, with its clock. */
export function summarize(m: Matter, clock: Pick<MatterClock, 'due' | 'state'>): MatterSummary {
  return {
    matterId: m.matterId,
    status: m.status,
    level: m.level,
    categoryId: m.categoryId,
    gridId: m.gridId,
    communityId: m.communityId,
    urgency: m.urgency,
    channel: m.channel,
    excerpt: [...m.description].slice(0, EXCERPT).join(''),
    ...(m.assignee ? { assignee: m.assignee } : {}),
    due: clock.due,
    sla: clock.state,
    reopens: m.reopens,
    raisedAt: m.raisedAt,
    updatedAt: m.updatedAt,
  };
}

/** The place a level's queue is kept for: the grid, the community, or the whole town. */
export const levelPlace = (m: Pick<Matter, 'gridId' | 'communityId'>, level: (typeof MATTER_LEVELS)[number]): string =>
  level === 'grid' ? m.gridId : level === 'community' ? m.communityId : 'TOWN';
