import { requireRole } from '$lib/guard';
import { canTransferBook } from '@gridline/domain/rules';

export function load({ url }) {
  return { session: requireRole(url, canTransferBook) };
}
