import { runInScope, townPrefix } from '@gridline/data';
import { importsOf } from '@gridline/data/imports';
import { AppError, newId } from '@gridline/domain';

/** Runs a queued import as the town (its tenant scope and, deployed, its role), as whoever committed it. */
export async function runImport(at: string, town: string | undefined, importId: string | undefined) {
  if (!town || !importId) throw new AppError('job.invalid', 400, 'An import job needs a town and an import id.');
  return runInScope({ requestId: `job-${newId()}`, tenant: town, allowedPrefixes: [townPrefix(town)] }, async () => {
    const record = await importsOf({
      kind: 'town',
      townId: town,
      userId: 'job',
      username: 'job',
      role: 'town_admin',
      scope: { communities: [], grids: [] },
    }).status(importId);
    // The run acts with the rights of the admin who committed it, key-group permission included.
    const actor = {
      kind: 'town' as const,
      townId: town,
      userId: record.by,
      username: record.by,
      role: 'town_admin' as const,
      scope: { communities: [], grids: [], ...(record.keyGroups ? { permissions: ['key_groups'] } : {}) },
    };
    return importsOf(actor).run(importId, at);
  });
}
