import { requireRole } from '$lib/guard';
import { canReadVisits } from '$lib/visits/roles';

/** A household's visits page: its members, recent visits and the visit form; the page reads the server or the device's copy. */
export function load({ url, params }) {
  const session = requireRole(url, canReadVisits);
  return { session, gridId: params.gridId, householdId: params.householdId };
}
