import { runInScope, townPrefix } from '@gridline/data';
import { type SupervisionReport, superviseTown } from '@gridline/data/matters';
import { newId } from '@gridline/domain';
import { logger } from '../pipeline/log';
import { townsToVisit } from './towns';

/**
 * The supervision job (督办, every 15 minutes): each town (or one) in its own tenant scope, like a
 * request of that town; a town that fails is logged and the others go on. Idempotent: a rerun at the
 * same or a later time finds the marks set and writes nothing new (decision 94).
 */
export async function runSupervision(now: string, only?: string): Promise<Array<SupervisionReport | { townId: string; error: string }>> {
  const out: Array<SupervisionReport | { townId: string; error: string }> = [];
  for (const townId of await townsToVisit(only)) {
    try {
      const r = await runInScope({ requestId: `job-${newId()}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, () =>
        superviseTown(townId, now),
      );
      out.push(r);
      if (r.marked) logger.info('matters supervised', { townId, marked: r.marked, moved: r.moved });
    } catch (e) {
      out.push({ townId, error: (e as Error).message });
      logger.error('supervision failed for a town', { townId, error: e as Error });
    }
  }
  return out;
}
