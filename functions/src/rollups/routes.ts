import {
  COUNTY_ADMIN,
  inlineFileSchema,
  metricIds,
  PERIOD_KINDS,
  periodSchema,
  rollupRunResultSchema,
  rollupTrendSchema,
  rollupViewSchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import type { RouteSpec } from '../spec';

const rollupQuery = z.strictObject({ period: periodSchema });
const rollupParams = z.strictObject({ period: periodSchema });
const rollupTrendQuery = z.strictObject({
  metric: z.enum(metricIds() as [string, ...string[]]),
  kind: z._default(z.enum(PERIOD_KINDS), 'month'),
  /** The last period of the trend (default: the period of that kind containing today, Asia/Shanghai). */
  to: z.optional(periodSchema),
});
const rollupFileQuery = z.strictObject({ format: z._default(z.enum(['csv', 'xlsx', 'json']), 'xlsx') });

/** A county rollup route: counts only, never a person. */
const rollup = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'roles'>>(r: T) =>
  ({ ...r, area: 'county', audience: 'county', roles: COUNTY_ADMIN }) as const;

/*
 * The county's rollups (the job that writes them is jobs/rollup.ts). There are no town rollup routes
 * yet: a town's own figures are its counters (towns, `town.summary`); a town-side group would go here
 * as its own export, bound by areas/town.ts.
 */
export const rollups = {
  rollupShow: rollup({
    id: 'rollups.show',
    response: rollupViewSchema,
    method: 'GET',
    path: '/admin/rollups',
    query: rollupQuery,
    summary: "A period's county rollup: the county total and every town side by side, with the change against the previous period",
  }),
  rollupTrend: rollup({
    id: 'rollups.trend',
    response: rollupTrendSchema,
    method: 'GET',
    path: '/admin/rollups/trend',
    query: rollupTrendQuery,
    summary: 'One metric over the last 12 periods of a kind, for the county and each town',
  }),
  rollupRun: rollup({
    id: 'rollups.run',
    response: rollupRunResultSchema,
    method: 'POST',
    path: '/admin/rollups/run',
    body: z.strictObject({ period: periodSchema }),
    summary: 'Runs the rollup of a period now (idempotent) and returns its outcome',
  }),
  rollupFile: rollup({
    id: 'rollups.file',
    response: inlineFileSchema,
    method: 'GET',
    path: '/admin/rollups/{period}/file',
    params: rollupParams,
    query: rollupFileQuery,
    summary: "A period's rollup as a CSV, XLSX or JSON file",
  }),
} as const;
