import { api } from '../api';
import type { InlineFile, PeriodKind as RollupKind, RollupRunResult, RollupTrend, RollupView } from '@gridline/domain';

/** The county rollup routes (functions/src/routes.ts, `rollups.*`): counts only, never a person. */
export const rollups = {
  show: (period: string) => api.get<RollupView>('/admin/rollups', { period }),
  trend: (metric: string, kind: RollupKind, to?: string) => api.get<RollupTrend>('/admin/rollups/trend', { metric, kind, to }),
  run: (period: string) => api.post<RollupRunResult>('/admin/rollups/run', { period }),
  file: (period: string, format: 'xlsx' | 'csv' | 'json') =>
    api.get<InlineFile>(`/admin/rollups/${encodeURIComponent(period)}/file`, { format }),
};

/**
 * The trend of `metric` over the last twelve periods of `kind`, or, when `wanted` is older than those,
 * over the twelve that end with it.
 */
export async function trendAround(metric: string, kind: RollupKind, wanted: string | null): Promise<RollupTrend> {
  const latest = await rollups.trend(metric, kind);
  if (!wanted || latest.points.some((p) => p.period === wanted)) return latest;
  return rollups.trend(metric, kind, wanted);
}
