import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { canEditCycles } from '$lib/visits/admin';
import { visitAdmin } from '$lib/visits/api';

/** The town's visit cycles (town admins): the cycles with the town's tags, and their history. */
export function load({ url }) {
  const session = requireRole(url, canEditCycles);
  // The town's configuration holds the cycles it started with, which the first save is compared with.
  return { session, cycles: started(visitAdmin.cycles()), history: started(visitAdmin.history()), context: started(townContext()) };
}
