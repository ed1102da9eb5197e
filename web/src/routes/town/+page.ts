import { requireRole } from '$lib/guard';
import { isTownRole } from '@gridline/domain/rules';

export function load({ url }) {
  return { session: requireRole(url, isTownRole) };
}
