import { bookList } from '$lib/book/api';
import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { canReadPeople } from '@gridline/domain/rules';

/**
 * The town context and, when the address names a grid, the first page of the list it shows (?grid,
 * ?tab, ?yard): a change of any of them runs this again. Without a grid the page picks the user's
 * first one once the context is here, and that address change brings the list.
 */
export function load({ url }) {
  const session = requireRole(url, canReadPeople);
  const gridId = url.searchParams.get('grid') ?? '';
  const tab = url.searchParams.get('tab') === 'people' ? 'people' : 'households';
  const yard = url.searchParams.get('yard') ?? '';
  const list = gridId ? { key: `${gridId}|${tab}|${yard}`, pending: started(bookList({ gridId, tab, yard })) } : null;
  return { session, context: started(townContext()), list };
}
