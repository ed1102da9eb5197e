import { runInScope, townPrefix } from '@gridline/data';
import { type CyclesRunView, runVisitCycles } from '@gridline/data/visits/backfill';
import { type ReminderReport, remindTown } from '@gridline/data/visits/reminders';
import { AppError, newId } from '@gridline/domain';
import { logger } from '../pipeline/log';
import { townsToVisit } from './towns';

const inTown = <T>(townId: string, fn: () => Promise<T>) =>
  runInScope({ requestId: `job-${newId()}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, fn);

/**
 * The morning reminders (07:00 China time): each town (or one) in its own tenant scope; a town that
 * fails is logged and the others go on. A rerun the same day marks nothing twice and tells nobody twice.
 */
export async function runVisitReminders(now: string, only?: string): Promise<Array<ReminderReport | { townId: string; error: string }>> {
  const out: Array<ReminderReport | { townId: string; error: string }> = [];
  for (const townId of await townsToVisit(only)) {
    try {
      const r = await inTown(townId, () => remindTown(townId, now));
      out.push(r);
      if (r.marked) logger.info('visit states marked overdue', { townId, marked: r.marked, notified: r.notified });
    } catch (e) {
      out.push({ townId, error: (e as Error).message });
      logger.error('visit reminders failed for a town', { townId, error: e as Error });
    }
  }
  return out;
}

/** Carries out (or resumes) one town's visit-cycles recompute as that town's session. */
export async function runVisitCyclesJob(at: string, town: string | undefined, runId: string | undefined): Promise<CyclesRunView> {
  if (!town || !runId) throw new AppError('job.invalid', 400, 'A visit-cycles job needs a town and a run id.');
  return inTown(town, () => runVisitCycles(town, runId, at));
}
