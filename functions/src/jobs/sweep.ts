import { runInScope, townPrefix } from '@gridline/data';
import { jobRunsOf } from '@gridline/data/job-runs';
import { decideRun, leasePolicy, newId } from '@gridline/domain';
import { logger } from '../pipeline/log';
import { townsToVisit } from './towns';
import { type BackgroundJob, startInBackground } from './dispatch';

/** How a kind of run is started again: the background job that carries it out. */
const restart: Record<string, (town: string, runId: string) => BackgroundJob> = {
  import: (town, importId) => ({ job: 'import', town, importId }),
  'visit-cycles': (town, runId) => ({ job: 'visit-cycles', town, runId }),
};

export type SweepResult = { towns: number; active: number; started: Array<{ town: string; kind: string; runId: string; why: string }> };

/**
 * The sweeper (every minute): finds job runs whose lease has expired — their runner crashed, timed
 * out or was killed — and starts their job again, which resumes from the run's checkpoint. It never
 * runs anything itself and never takes a lease: the job it starts takes the lease with a conditional
 * write, so a sweep that overlaps Lambda's own retry, or another sweep, makes the second a no-op. A run
 * that has used every attempt is started too: taking its lease fails, and the job marks it failed.
 */
export async function runSweep(now: string, only?: string, start: (job: BackgroundJob) => Promise<void> = startInBackground) {
  const policy = leasePolicy();
  const towns = await townsToVisit(only);
  const result: SweepResult = { towns: towns.length, active: 0, started: [] };
  for (const town of towns) {
    try {
      await runInScope({ requestId: `job-${newId()}`, tenant: town, allowedPrefixes: [townPrefix(town)] }, async () => {
        const runs = jobRunsOf(town);
        for (const a of await runs.active()) {
          result.active += 1;
          const job = restart[a.kind];
          if (!job) {
            logger.warn('active run of an unknown kind', { town, kind: a.kind, runId: a.runId });
            continue;
          }
          const record = await runs.read({ kind: a.kind, runId: a.runId, key: { pk: a.recordPk, sk: a.recordSk } });
          const decision = record ? decideRun(record, Date.parse(now), policy) : 'closed';
          // A run leaves the list in the same transaction that ends it, so `closed` means its record is gone.
          if (decision === 'busy' || decision === 'closed') continue;
          await start(job(town, a.runId));
          result.started.push({ town, kind: a.kind, runId: a.runId, why: decision });
        }
      });
    } catch (e) {
      // One town's failure must not keep the others' runs stopped.
      logger.error('sweep failed for a town', { town, error: e as Error });
    }
  }
  if (result.started.length) logger.info('sweep restarted runs', { started: result.started.length });
  return result;
}
