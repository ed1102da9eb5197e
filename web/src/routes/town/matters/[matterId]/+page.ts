import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { matters } from '$lib/matters/api';
import { canReadMatters } from '$lib/matters/queues';

/** A matter's page: the matter with its clock, timeline and allowed actions; the ladder (for skip and send-back), names of places and categories. */
export function load({ url, params }) {
  const session = requireRole(url, canReadMatters);
  return {
    session,
    matterId: params.matterId,
    detail: started(matters.get(params.matterId)),
    ladder: started(matters.ladder()),
    context: started(townContext()),
    categories: started(matters.categories()),
  };
}
