import { listTowns, PLATFORM_PREFIX, runInScope, saveTenantSummary } from '@gridline/data';
import { newId } from '@gridline/domain';

export type TenantSummary = { total: number; active: number; suspended: number; at: string };

/** Recounts towns by status from the registry (O(towns)) and writes the county's tenant report. */
export async function runTenantSummary(now: string): Promise<TenantSummary> {
  return runInScope({ requestId: `job-${newId()}`, tenant: 'county', allowedPrefixes: [PLATFORM_PREFIX] }, async () => {
    const summary: TenantSummary = { total: 0, active: 0, suspended: 0, at: now };
    let cursor: string | undefined;
    do {
      const page = await listTowns(100, cursor);
      for (const t of page.items) {
        summary.total += 1;
        summary[t.status] += 1;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    await saveTenantSummary(summary);
    return summary;
  });
}
