import { requireRole } from '$lib/guard';
import { calendars } from '$lib/calendar/api';
import { started } from '$lib/load';
import { isCountyRole } from '@gridline/domain/rules';

/** County IT's calendar years: the list is started here and read by the page. */
export function load({ url }) {
  return { session: requireRole(url, isCountyRole), list: started(calendars.list()) };
}
