import type { CounterDelta } from '../book/rules';
import { count, day } from '../common/shapes';
import * as z from '../common/zod';
import { entityIdSchema } from '../ids';
import { isOverdue } from './cycle';

/*
 * Visit coverage (issue 14): the share of households visited within their cycle, per grid, community
 * and town, from two maintained stocks — `visit_households` (active households with a visit state) and
 * `visit_overdue` (states the morning job marked overdue) — on `TOWN` and `GRID#<grid>`.
 */

export const visitCoverageQuerySchema = z.strictObject({ communityId: z.optional(entityIdSchema) });
export type VisitCoverageQuery = z.infer<typeof visitCoverageQuerySchema>;

export const coverageRowSchema = z.object({
  placeId: z.string(),
  placeKind: z.enum(['town', 'community', 'grid']),
  households: count,
  overdue: count,
  covered: count,
  share: z.number().check(z.minimum(0), z.maximum(1)),
});
export type CoverageRow = z.infer<typeof coverageRowSchema>;

export const visitCoverageSchema = z.object({ today: day, town: coverageRowSchema, rows: z.array(coverageRowSchema) });
export type VisitCoverage = z.infer<typeof visitCoverageSchema>;

/**
 * One row of coverage from its counters. Counters are never trusted past their bounds: a negative
 * stock (drift the reconcile job would report) counts as zero, and overdue never exceeds households.
 * A place with no households is fully covered (nothing is owed there).
 */
export function coverageRow(placeId: string, placeKind: CoverageRow['placeKind'], households: number, overdue: number): CoverageRow {
  const h = Math.max(0, Math.trunc(households));
  const o = Math.min(h, Math.max(0, Math.trunc(overdue)));
  return { placeId, placeKind, households: h, overdue: o, covered: h - o, share: h === 0 ? 1 : (h - o) / h };
}

/** Rows of several places summed into one (a community from its grids). */
export function sumRows(placeId: string, placeKind: CoverageRow['placeKind'], rows: readonly CoverageRow[]): CoverageRow {
  return coverageRow(
    placeId,
    placeKind,
    rows.reduce((s, r) => s + r.households, 0),
    rows.reduce((s, r) => s + r.overdue, 0),
  );
}

/** The counter moves of one household's overdue mark: +1 when marked, −1 when cleared, on the town and its grid. */
export function overdueMarkCounters(gridId: string, delta: 1 | -1): CounterDelta[] {
  return [
    { scope: 'TOWN', deltas: { visit_overdue: delta } },
    { scope: `GRID#${gridId}`, deltas: { visit_overdue: delta } },
  ];
}

/** The counter moves of a household gaining (+1) or losing (−1) its visit state. */
export function visitHouseholdCounters(gridId: string, delta: 1 | -1): CounterDelta[] {
  return [
    { scope: 'TOWN', deltas: { visit_households: delta } },
    { scope: `GRID#${gridId}`, deltas: { visit_households: delta } },
  ];
}

/**
 * What the morning job does with a state on `today`: mark it (its due passed and it is not marked
 * yet), nothing otherwise. A mark is cleared only by a visit (or a recompute moving the due forward),
 * never by this job, so running it twice marks once.
 */
export function overdueMarkFor(state: { due: string; overdue: boolean }, today: string): 'mark' | 'none' {
  return !state.overdue && isOverdue(state.due, today) ? 'mark' : 'none';
}

/**
 * How a recompute of a state's due moves its mark: a new due no longer past clears it (−1); a mark is
 * never set here (the morning job sets marks, once a day, so the counter moves once per household).
 */
export function markAfterRecompute(state: { overdue: boolean }, newDue: string, today: string): 'clear' | 'keep' {
  return state.overdue && !isOverdue(newDue, today) ? 'clear' : 'keep';
}

/** A coordinator's morning counts from the due entries of their grids: due today, and overdue. */
export function reminderCounts(dues: ReadonlyArray<{ due: string }>, today: string): { dueToday: number; overdue: number } {
  let dueToday = 0;
  let overdue = 0;
  for (const d of dues)
    if (d.due === today) dueToday++;
    else if (isOverdue(d.due, today)) overdue++;
  return { dueToday, overdue };
}
