import { runInScope, townPrefix } from '@gridline/data';
import { type Drift, type Reconciliation, reconcileTown } from '@gridline/data/recount';
import { AppError, newId } from '@gridline/domain';
import { logger } from '../pipeline/log';
import { townsToVisit } from './towns';

/** One town's outcome; `counters` lists the drifting counters (the first 200), `fixed` whether they were set right. */
export type TownDrift = {
  townId: string;
  drift: number;
  people: number;
  households: number;
  fixed?: boolean;
  counters?: Drift[];
  error?: string;
};

/**
 * Recounts every town (or one) and reports counter drift; a town that fails is reported and the
 * others go on. Each town is recounted inside its own tenant scope, like a request of that town.
 */
export async function runReconcile(now: string, only?: string, fix = false, actor?: string): Promise<TownDrift[]> {
  const towns = await townsToVisit(only);
  const results: TownDrift[] = [];
  for (const townId of towns) {
    try {
      const r = await runInScope({ requestId: `job-${newId()}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, () =>
        reconcileTown(townId, { now, fix, ...(actor ? { actor } : {}) }),
      );
      results.push({ townId, drift: r.driftCount, people: r.people, households: r.households, fixed: r.fixed, counters: r.drift });
      if (r.driftCount) logger.warn('counter drift', { townId, drift: r.driftCount });
    } catch (e) {
      results.push({ townId, drift: -1, people: 0, households: 0, error: (e as Error).message });
      logger.error('reconcile failed for a town', { townId, error: e as Error });
    }
  }
  return results;
}

/**
 * Reconciles one town for county IT and waits for it. Deployed, the county function may not read a
 * town's records, so it invokes the reconcile job's function (GRIDLINE_RECONCILE_FUNCTION), which works
 * as that town's session; locally the job runs in-process.
 */
export async function reconcileNow(townId: string, at: string, fix: boolean, actor: string): Promise<Reconciliation> {
  const event = { job: 'reconcile', at, town: townId, fix, actor };
  const fn = process.env.GRIDLINE_RECONCILE_FUNCTION;
  let results: TownDrift[];
  if (fn) {
    const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
    const out = await new LambdaClient({}).send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from(JSON.stringify(event)) }));
    if (out.FunctionError) throw new AppError('reconcile.failed', 503, 'The reconciliation failed; see the job log.');
    results = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as TownDrift[];
  } else results = await runReconcile(at, townId, fix, actor);
  const r = results[0];
  if (!r || r.error) throw new AppError('reconcile.failed', 503, 'The reconciliation failed; see the job log.');
  return { townId, at, fixed: r.fixed ?? false, people: r.people, households: r.households, driftCount: r.drift, drift: r.counters ?? [] };
}
