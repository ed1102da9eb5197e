import { requireRole } from '$lib/guard';
import { canReadVisits } from '$lib/visits/roles';

/**
 * The due list (走访清单). The page itself asks for its data, since with no network it reads the
 * device's encrypted copy instead: `?grid=` or `?community=` (ids only) says which list.
 */
export function load({ url }) {
  const session = requireRole(url, canReadVisits);
  return { session, gridId: url.searchParams.get('grid') ?? '', communityId: url.searchParams.get('community') ?? '' };
}
