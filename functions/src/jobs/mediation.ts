import { runInScope, townPrefix } from '@gridline/data';
import { type FollowUpReport, remindFollowUps } from '@gridline/data/mediation';
import { newId } from '@gridline/domain';
import { logger } from '../pipeline/log';
import { townsToVisit } from './towns';

/**
 * The mediation follow-up reminders (回访, 07:00 China time): each town (or one) in its own tenant scope;
 * a town that fails is logged and the others go on. A rerun the same day tells nobody twice, and one
 * after a crash goes on where the last stopped (decision 168).
 */
export async function runMediationFollowUps(
  now: string,
  only?: string,
): Promise<Array<FollowUpReport | { townId: string; error: string }>> {
  const out: Array<FollowUpReport | { townId: string; error: string }> = [];
  for (const townId of await townsToVisit(only)) {
    try {
      const r = await runInScope({ requestId: `job-${newId()}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, () =>
        remindFollowUps(townId, now),
      );
      out.push(r);
      if (r.notified) logger.info('mediation follow-ups reminded', { townId, due: r.due, notified: r.notified });
    } catch (e) {
      out.push({ townId, error: (e as Error).message });
      logger.error('mediation follow-up reminders failed for a town', { townId, error: e as Error });
    }
  }
  return out;
}
