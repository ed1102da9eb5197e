import { listTowns, PLATFORM_PREFIX, runInScope } from '@gridline/data';
import { newId } from '@gridline/domain';

/** The towns a job walks: the one asked for, or every provisioned town, read page by page from the registry. */
export async function townsToVisit(only?: string): Promise<string[]> {
  if (only) return [only];
  const towns: string[] = [];
  await runInScope({ requestId: `job-${newId()}`, tenant: 'county', allowedPrefixes: [PLATFORM_PREFIX] }, async () => {
    let cursor: string | undefined;
    do {
      const page = await listTowns(100, cursor);
      towns.push(...page.items.map((t) => t.townId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  });
  return towns;
}
