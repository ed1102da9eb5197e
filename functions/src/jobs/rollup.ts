import { type RollupOptions, type RollupResult, runRollup } from '@gridline/data/rollup';
import { AppError, lastCompletedPeriod, type PeriodKind, parsePeriod } from '@gridline/domain';
import { logger } from '../pipeline/log';

/** The scheduled rollup jobs, by kind: each rolls up the period of its kind that has just ended. */
export const ROLLUP_JOBS: Record<string, PeriodKind> = {
  'rollup-daily': 'day',
  'rollup-monthly': 'month',
  'rollup-quarterly': 'quarter',
};

/**
 * Runs the county rollup of `period` (or, scheduled, of the period of `kind` that ended before `at`)
 * and logs the towns that failed; they are in the result and on the county item too.
 */
export async function runRollupJob(
  at: string,
  kind: PeriodKind,
  period?: string,
  opts: Omit<RollupOptions, 'now'> = {},
): Promise<RollupResult> {
  const target = period ?? lastCompletedPeriod(at, kind);
  const parsed = parsePeriod(target);
  if (!parsed) throw new AppError('period.invalid', 400, 'A period is a day (2026-11-27), a month (2026-11) or a quarter (2026-Q4).');
  const result = await runRollup(target, { ...opts, now: at });
  for (const f of result.failed) logger.error('rollup failed for a town', { period: target, townId: f.townId, error: f.error });
  logger.info('rollup done', { period: target, towns: result.towns, failed: result.failed.length, reads: result.consumed.calls });
  return result;
}

/**
 * The county console's "run now": the rollup of one period, synchronously (a county has tens of towns).
 * Deployed, the county function cannot read town counters, so it invokes a rollup job function
 * (GRIDLINE_ROLLUP_FUNCTION) and waits for it; locally it runs in this process.
 */
export async function runRollupNow(period: string, at: string): Promise<Omit<RollupResult, 'consumed'>> {
  const kind = parsePeriod(period)?.kind;
  if (!kind) throw new AppError('period.invalid', 400, 'A period is a day (2026-11-27), a month (2026-11) or a quarter (2026-Q4).');
  const fn = process.env.GRIDLINE_ROLLUP_FUNCTION;
  if (fn) {
    const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
    const out = await new LambdaClient({}).send(
      new InvokeCommand({ FunctionName: fn, Payload: Buffer.from(JSON.stringify({ job: 'rollup-daily', at, period })) }),
    );
    if (out.FunctionError) throw new AppError('rollup.failed', 503, 'The rollup job failed; see the job log.');
    const { consumed: _c, ...rest } = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as RollupResult;
    return rest;
  }
  const { consumed: _c, ...rest } = await runRollupJob(at, kind, period);
  return rest;
}
