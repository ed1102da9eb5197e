import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { matters } from '$lib/matters/api';
import { canSeeBoard } from '$lib/matters/queues';

/** The supervision board (督办看板), with the names of places and categories for its red list. */
export function load({ url }) {
  const session = requireRole(url, canSeeBoard);
  return { session, board: started(matters.board()), context: started(townContext()), categories: started(matters.categories()) };
}
