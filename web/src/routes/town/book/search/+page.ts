import { requireRole } from '$lib/guard';
import { canReadPeople } from '@gridline/domain/rules';

export function load({ url }) {
  return { session: requireRole(url, canReadPeople) };
}
