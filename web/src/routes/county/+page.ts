import { requireRole } from '$lib/guard';
import { countyStart } from '$lib/towns/api';
import { isCountyRole } from '@gridline/domain/rules';

export function load({ url }) {
  return { session: requireRole(url, isCountyRole), start: countyStart() };
}
