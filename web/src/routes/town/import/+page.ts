import { requireRole } from '$lib/guard';
import { canTransferBook } from '$lib/types';

export function load({ url }) {
  return { session: requireRole(url, canTransferBook) };
}
