import { book } from '$lib/book/api';
import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { canReadPeople } from '@gridline/domain/rules';

/** A household's card and the town context; runs again when the address names another household. */
export function load({ url, params }) {
  const session = requireRole(url, canReadPeople);
  return { session, start: started(Promise.all([townContext(), book.household(params.gridId, params.householdId)])) };
}
