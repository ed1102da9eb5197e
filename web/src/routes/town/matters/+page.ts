import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { matters } from '$lib/matters/api';
import { canReadMatters } from '$lib/matters/queues';

/** The queues of matters: who the caller is and the org chart (for the places), and the category catalogue. */
export function load({ url }) {
  const session = requireRole(url, canReadMatters);
  return { session, context: started(townContext()), categories: started(matters.categories()) };
}
