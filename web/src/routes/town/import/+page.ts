import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { transfer } from '$lib/imports/api';
import { started } from '$lib/load';
import { canTransferBook } from '@gridline/domain/rules';

/**
 * The town context (grids for the export), the first page of the town's imports, and the import to
 * follow: the one the address names (?import=, kept there by the page so a reload comes back to it),
 * else the newest still running in that first page, else none.
 */
export function load({ url }) {
  const session = requireRole(url, canTransferBook);
  const history = started(transfer.list());
  const named = url.searchParams.get('import');
  const following = started(
    named
      ? transfer.status(named)
      : history.then((p) => {
          const running = p.items.find((i) => i.status === 'queued' || i.status === 'running');
          return running ? transfer.status(running.importId) : null;
        }),
  );
  return { session, context: started(townContext()), history, following };
}
