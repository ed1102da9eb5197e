import { todayInChina } from '$lib/book/context';
import { calendars } from '$lib/calendar/api';
import { yearParam } from '$lib/calendar/grid';
import { isTownStaff, requireRole } from '$lib/guard';
import { started } from '$lib/load';

/** A year as the town counts working days (`?year=`, else this year in China), and the town's closures. */
export function load({ url }) {
  const session = requireRole(url, isTownStaff);
  const year = yearParam(url.searchParams.get('year'), Number(todayInChina().slice(0, 4)));
  return { session, year, calendar: started(calendars.townYear(year)), closures: started(calendars.closures()) };
}
