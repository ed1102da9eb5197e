import { listTowns, PLATFORM_PREFIX, recountTown, runInScope, saveReconcileReport, townPrefix } from '@gridline/data';
import { newId } from '@gridline/domain';
import { logger } from '../pipeline/log';

export type TownDrift = { townId: string; drift: number; people: number; households: number; error?: string };

/**
 * Recounts every town (or one) and reports counter drift; a town that fails is reported and the
 * others go on. Each town is recounted inside its own tenant scope, like a request of that town.
 */
export async function runReconcile(now: string, only?: string, fix = false): Promise<TownDrift[]> {
  const towns: string[] = [];
  if (only) towns.push(only);
  else
    await runInScope({ requestId: `job-${newId()}`, tenant: 'county', allowedPrefixes: [PLATFORM_PREFIX] }, async () => {
      let cursor: string | undefined;
      do {
        const page = await listTowns(100, cursor);
        towns.push(...page.items.map((t) => t.townId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    });
  const results: TownDrift[] = [];
  for (const townId of towns) {
    try {
      const r = await runInScope({ requestId: `job-${newId()}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, async () => {
        const out = await recountTown(townId, { fix });
        await saveReconcileReport(townId, now, out.drift);
        return out;
      });
      results.push({ townId, drift: r.drift.length, people: r.people, households: r.households });
      if (r.drift.length) logger.warn('counter drift', { townId, drift: r.drift.length });
    } catch (e) {
      results.push({ townId, drift: -1, people: 0, households: 0, error: (e as Error).message });
      logger.error('reconcile failed for a town', { townId, error: e as Error });
    }
  }
  return results;
}
