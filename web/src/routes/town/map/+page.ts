import { requireRole } from '$lib/guard';
import { isTownRole } from '$lib/types';

export function load({ url }) {
  return { session: requireRole(url, isTownRole) };
}
