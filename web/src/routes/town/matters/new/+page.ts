import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { matters } from '$lib/matters/api';
import { intakePrefill } from '$lib/matters/intake';
import { canActOnMatters } from '$lib/matters/queues';

/** Intake (登记事件): the grids the caller may raise in, the categories in use, and the place a link (say, from a visit) starts it at. */
export function load({ url }) {
  const session = requireRole(url, canActOnMatters);
  return { session, context: started(townContext()), categories: started(matters.categories()), prefill: intakePrefill(url.searchParams) };
}
