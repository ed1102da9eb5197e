import { LEVELS, type MediationLevel, type MediationSummary } from './types';

/*
 * The month's figures as the list page draws them: per level of the ladder, the cases received, the
 * agreements and the failures as bars on one scale, and the two rates as whole percentages.
 */

export const SUMMARY_SERIES = ['received', 'agreements', 'failures'] as const;
export type SummarySeries = (typeof SUMMARY_SERIES)[number];

export type SummaryBar = { series: SummarySeries; value: number; share: number };
export type LevelBars = { level: MediationLevel; bars: SummaryBar[] };

/**
 * Each level's bars, lowest level first, as fractions (0–1) of the largest figure drawn; a level the
 * summary leaves out counts zero, a negative figure (agreements broken this month can outnumber those
 * signed) is drawn as no bar. All zero when nothing happened.
 */
export function levelBars(summary: Pick<MediationSummary, 'byLevel'>): LevelBars[] {
  const rows = LEVELS.map((level) => {
    const r = summary.byLevel.find((x) => x.level === level);
    return { level, values: SUMMARY_SERIES.map((series) => ({ series, value: r ? r[series] : 0 })) };
  });
  const max = Math.max(0, ...rows.flatMap((r) => r.values.map((v) => v.value)));
  return rows.map((r) => ({
    level: r.level,
    bars: r.values.map(({ series, value }) => ({ series, value, share: max > 0 && value > 0 ? value / max : 0 })),
  }));
}

/** A rate (0–1) as a whole percentage, or null when there was nothing to divide by. */
export const ratePercent = (rate: number | null | undefined): number | null =>
  rate === null || rate === undefined || !Number.isFinite(rate) ? null : Math.round(Math.min(1, Math.max(0, rate)) * 100);

/** Whether the month has any figure worth drawing. */
export const hasFigures = (summary: Pick<MediationSummary, 'total'>): boolean => Object.values(summary.total).some((n) => n !== 0);
