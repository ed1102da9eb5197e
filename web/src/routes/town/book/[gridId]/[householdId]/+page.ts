import { requireRole } from '$lib/guard';
import { canReadPeople } from '$lib/types';

export function load({ url }) {
  return { session: requireRole(url, canReadPeople) };
}
