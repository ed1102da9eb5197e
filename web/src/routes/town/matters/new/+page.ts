import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { matters } from '$lib/matters/api';
import { canActOnMatters } from '$lib/matters/queues';

/** Intake (登记事件): the grids the caller may raise in and the categories in use. */
export function load({ url }) {
  const session = requireRole(url, canActOnMatters);
  return { session, context: started(townContext()), categories: started(matters.categories()) };
}
