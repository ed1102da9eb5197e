import { book, townContext } from '$lib/book';
import { requireRole } from '$lib/guard';
import { started } from '$lib/town';
import { isTownRole } from '@gridline/domain/rules';

export function load({ url }) {
  const session = requireRole(url, isTownRole);
  return { session, start: started(Promise.all([townContext(), book.map()])) };
}
