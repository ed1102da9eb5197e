import { AppError, parsePeriod, periodContaining } from '@gridline/domain';
import { readRollup, rollupFiles, rollupTrend as trendOf } from '@gridline/data/rollup';
import { runRollupNow } from '../jobs/rollup';
import type { RouteRequest } from '../pipeline/route';
import type { rollups } from './routes';

// County reports (the rollup reader, its CSV/XLSX files, a run by hand): loaded on first use.
type R<K extends keyof typeof rollups> = RouteRequest<(typeof rollups)[K]>;

export const rollupShow = async ({ query }: R<'rollupShow'>) => {
  const view = await readRollup(query.period);
  if (!view) throw new AppError('rollup.not_found', 404, 'This period has not been rolled up yet.', { field: 'query.period' });
  return { body: view };
};

export const rollupTrend = async ({ query, now }: R<'rollupTrend'>) => {
  const to = query.to ?? periodContaining(now, query.kind);
  if (parsePeriod(to)?.kind !== query.kind)
    throw new AppError('period.invalid', 400, "The last period must be of the trend's kind.", { field: 'query.to' });
  return { body: { metric: query.metric, kind: query.kind, points: await trendOf(query.metric, to, 12) } };
};

export const rollupRun = async ({ body, now }: R<'rollupRun'>) => ({ body: await runRollupNow(body.period, now) });

export const rollupFile = async ({ params, query }: R<'rollupFile'>) => {
  const view = await readRollup(params.period);
  if (!view) throw new AppError('rollup.not_found', 404, 'This period has not been rolled up yet.', { field: 'params.period' });
  // Rendered from the stored items by the same code as the job's files, so the bytes are the same.
  const bytes = rollupFiles(view)[query.format];
  return { body: { fileName: `gridline-rollup-${params.period}.${query.format}`, contentBase64: Buffer.from(bytes).toString('base64') } };
};
