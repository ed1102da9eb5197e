import { count, day, isoTime } from '../common/shapes';
import * as z from '../common/zod';
import { MAX_CYCLE_DAYS, MIN_CYCLE_DAYS, type VisitCycles } from './cycle';

/*
 * A town's visit cycles as an admin edits them (issue 14): the save is checked against the town's tag
 * catalogue and the version read; every save is kept in the cycles' history and starts the paced job
 * that recomputes every household's cycle and due day (data: visits/cycles.ts).
 */

const cycleDays = z.int().check(z.minimum(MIN_CYCLE_DAYS), z.maximum(MAX_CYCLE_DAYS));
const tagId = z.string().check(z.regex(/^[a-z][a-z0-9_]{1,40}$/));

/** The body of a save: the version read (0 while the town still runs on its configuration's defaults). */
export const visitCyclesBodySchema = z.strictObject({
  version: z.int().check(z.minimum(0)),
  householdDays: cycleDays,
  byTag: z.record(tagId, cycleDays),
});
export type VisitCyclesBody = z.infer<typeof visitCyclesBodySchema>;

/** A tag the editor offers: special groups for everyone, key groups only with the key_groups permission. */
export const visitCycleTagSchema = z.object({
  id: z.string(),
  label: z.object({ zh: z.string(), en: z.string() }),
  kind: z.enum(['special', 'key']),
});

/** The progress of the latest recompute a save started. */
export const visitRecomputeSchema = z.object({
  runId: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'abandoned', 'previewed']),
  done: count,
  total: count,
});
export type VisitRecompute = z.infer<typeof visitRecomputeSchema>;

export const visitCyclesViewSchema = z.object({
  householdDays: z.int(),
  byTag: z.record(z.string(), z.int()),
  version: count,
  updatedAt: z.optional(isoTime),
  updatedBy: z.optional(z.string()),
  tags: z.array(visitCycleTagSchema),
  recompute: z.optional(visitRecomputeSchema),
});
export type VisitCyclesView = z.infer<typeof visitCyclesViewSchema>;

export const visitCyclesHistorySchema = z.object({
  items: z.array(
    z.object({
      version: z.int(),
      householdDays: z.int(),
      byTag: z.record(z.string(), z.int()),
      at: isoTime,
      by: z.string(),
    }),
  ),
});
export type VisitCyclesHistory = z.infer<typeof visitCyclesHistorySchema>;

/** A refusal of a save, as data: the data layer turns it into an AppError. */
export type CyclesRefusal = { code: string; status: 409 | 422; message: string; field: string };

/** The town's tag catalogue as the cycle rules need it. */
export type CycleTagCatalogue = { specialGroups: readonly string[]; keyGroups: readonly string[] };

/**
 * Checks a save of the cycles against what is stored (`currentVersion`, 0 when never saved) and the
 * town's tags: the version must be the one read; each tag must be one of the town's; a tag's cycle
 * longer than the household cycle would never apply (a household is always visited at least that
 * often), so it is refused rather than kept as a setting that does nothing. Key-group tags need the
 * key_groups permission to be named at all, and a save without it keeps the key-group cycles as they are.
 */
export function planCyclesSave(
  body: VisitCyclesBody,
  current: { version: number; cycles: VisitCycles },
  tags: CycleTagCatalogue,
  seesKeyGroups: boolean,
): { ok: true; after: VisitCycles } | { ok: false; refusal: CyclesRefusal } {
  if (body.version !== current.version)
    return {
      ok: false,
      refusal: {
        code: 'visit.cycles_changed',
        status: 409,
        message: 'Someone changed the visit cycles meanwhile; reload them and try again.',
        field: 'body.version',
      },
    };
  const special = new Set(tags.specialGroups);
  const key = new Set(tags.keyGroups);
  const byTag: Record<string, number> = {};
  for (const [tag, days] of Object.entries(body.byTag)) {
    const field = `body.byTag.${tag}`;
    if (!special.has(tag) && !(key.has(tag) && seesKeyGroups))
      return { ok: false, refusal: { code: 'visit.unknown_tag', status: 422, message: 'Not a tag of this town.', field } };
    if (days > body.householdDays)
      return {
        ok: false,
        refusal: {
          code: 'visit.cycle_too_long',
          status: 422,
          message: 'A group’s cycle may not be longer than the household cycle: it would never apply.',
          field,
        },
      };
    byTag[tag] = days;
  }
  // Without the permission the editor never saw the key-group cycles: they stay as they were.
  if (!seesKeyGroups)
    for (const [tag, days] of Object.entries(current.cycles.byTag)) if (key.has(tag) && days <= body.householdDays) byTag[tag] = days;
  return { ok: true, after: { householdDays: body.householdDays, byTag } };
}

/** Whether two settings give any household a different cycle (so the recompute is worth starting). */
export function cyclesDiffer(a: VisitCycles, b: VisitCycles): boolean {
  if (a.householdDays !== b.householdDays) return true;
  const tags = new Set([...Object.keys(a.byTag), ...Object.keys(b.byTag)]);
  return [...tags].some((t) => a.byTag[t] !== b.byTag[t]);
}

/** The cycles a reader may see: key-group cycles only with the permission. */
export function visibleCycles(cycles: VisitCycles, keyGroups: readonly string[], seesKeyGroups: boolean): VisitCycles {
  if (seesKeyGroups) return cycles;
  const hidden = new Set(keyGroups);
  return { householdDays: cycles.householdDays, byTag: Object.fromEntries(Object.entries(cycles.byTag).filter(([t]) => !hidden.has(t))) };
}

/** The reminder the morning job builds for one account, as the app reads it. */
export const visitReminderViewSchema = z.object({ on: z.nullable(day), dueToday: count, overdue: count });
export type VisitReminderView = z.infer<typeof visitReminderViewSchema>;
