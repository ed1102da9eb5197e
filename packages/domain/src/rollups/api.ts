import { count, isoTime } from '../common/shapes';
import * as z from '../common/zod';
import { labelSchema } from '../common/api';

/*
 * Rollups: what the county sees of its towns (a period's view, a metric's trend, a run's result), and the
 * reconciliation of a town's counters against a recount of its records.
 */

/** A count as the county sees it: below town level, 1–4 shows as "<5". */
export const rollupCellSchema = z.union([z.number(), z.literal('<5')]);
export type RollupCell = z.infer<typeof rollupCellSchema>;
const periodKind = z.enum(['day', 'month', 'quarter']);
const townFailure = z.object({ townId: z.string(), error: z.string() });
export const rollupRowSchema = z.object({
  level: z.enum(['county', 'town', 'community', 'grid', 'courtyard']),
  townId: z.nullable(z.string()),
  name: z.string(),
  status: z.enum(['ok', 'failed']),
  metrics: z.nullable(z.record(z.string(), rollupCellSchema)),
  /** Against the previous period of the same kind; null when that period was not rolled up. */
  change: z.nullable(z.record(z.string(), rollupCellSchema)),
  error: z.optional(z.string()),
});
export type RollupRow = z.infer<typeof rollupRowSchema>;
export const rollupMetricSchema = z.object({ id: z.string(), label: labelSchema, sensitive: z.boolean() });
export type RollupMetric = z.infer<typeof rollupMetricSchema>;
/** A rate shown beside the counts: the sum of `numerator`'s metrics over the sum of `denominator`'s (METRIC_RATIOS). */
export const rollupRatioSchema = z.object({
  id: z.string(),
  label: labelSchema,
  numerator: z.array(z.string()),
  denominator: z.array(z.string()),
});
export type RollupRatio = z.infer<typeof rollupRatioSchema>;
export const rollupViewSchema = z.object({
  period: z.string(),
  kind: periodKind,
  previous: z.string(),
  computedAt: isoTime,
  complete: z.boolean(),
  failed: z.array(townFailure),
  metrics: z.array(rollupMetricSchema),
  /** Rates derived from the counts of a row (the county's, a town's), never stored or summed themselves. */
  ratios: z.optional(z.array(rollupRatioSchema)),
  county: rollupRowSchema,
  towns: z.array(rollupRowSchema),
});
export type RollupView = z.infer<typeof rollupViewSchema>;
export const rollupTrendPointSchema = z.object({
  period: z.string(),
  county: z.nullable(z.number()),
  towns: z.record(z.string(), z.nullable(z.number())),
});
export type RollupTrendPoint = z.infer<typeof rollupTrendPointSchema>;
export const rollupTrendSchema = z.object({ metric: z.string(), kind: periodKind, points: z.array(rollupTrendPointSchema) });
export type RollupTrend = z.infer<typeof rollupTrendSchema>;
export const rollupRunResultSchema = z.object({
  period: z.string(),
  kind: periodKind,
  towns: count,
  ok: z.array(z.string()),
  failed: z.array(townFailure),
  files: z.array(z.string()),
});
export type RollupRunResult = z.infer<typeof rollupRunResultSchema>;

// Reconciling a town's counters.

/** One counter that disagrees with a recount of the records. */
export const driftSchema = z.object({ counter: z.string(), metric: z.string(), stored: z.number(), expected: z.number() });
/** A reconciliation of a town's counters, as its town admin sees it. */
export const reconciliationSchema = z.object({
  townId: z.string(),
  at: z.string(),
  fixed: z.boolean(),
  people: z.int(),
  households: z.int(),
  driftCount: z.int(),
  drift: z.array(driftSchema),
});
/** A reconciliation as county IT sees it: counts only, single households folded into one number. */
export const countyReconciliationSchema = z.extend(reconciliationSchema, { householdsWithDrift: z.int() });
export type Reconciliation = z.infer<typeof reconciliationSchema>;
