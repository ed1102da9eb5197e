import { requireRole } from '$lib/guard';
import { isCountyRole } from '@gridline/domain/rules';

export function load({ url }) {
  return { session: requireRole(url, isCountyRole) };
}
