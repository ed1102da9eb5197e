import { requireRole } from '$lib/guard';
import { isCountyRole } from '$lib/types';

export function load({ url }) {
  return { session: requireRole(url, isCountyRole) };
}
