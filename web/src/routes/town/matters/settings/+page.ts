import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { matters } from '$lib/matters/api';
import { canSetUpMatters } from '$lib/matters/queues';

/** The town's matter settings (town admins): the category catalogue and the ladder. */
export function load({ url }) {
  const session = requireRole(url, canSetUpMatters);
  return { session, categories: started(matters.categories()), ladder: started(matters.ladder()) };
}
