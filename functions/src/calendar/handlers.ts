import { countyCalendars, townCalendarOf } from '@gridline/data/calendar';
import { shanghaiDay } from '@gridline/domain';
import type { RouteRequest } from '../pipeline/route';
import type { calendarCounty, calendarTown } from './routes';

// The working-day calendar's routes, county and town: each calls one data function.
type C<K extends keyof typeof calendarCounty> = RouteRequest<(typeof calendarCounty)[K]>;
type T<K extends keyof typeof calendarTown> = RouteRequest<(typeof calendarTown)[K]>;

export const listCalendars = async (_: C<'listCalendars'>) => ({ body: await countyCalendars.list() });
export const getCalendar = async ({ params }: C<'getCalendar'>) => ({ body: await countyCalendars.get(Number(params.year)) });
export const putCalendar = async ({ params, body, principal, now }: C<'putCalendar'>) => ({
  body: await countyCalendars.save(Number(params.year), body, principal.username, now),
});

export const getTownCalendar = async ({ principal, query, now }: T<'getTownCalendar'>) => ({
  body: await townCalendarOf(principal.townId).year(query.year ? Number(query.year) : Number(shanghaiDay(now).slice(0, 4))),
});
export const getClosures = async ({ principal }: T<'getClosures'>) => ({ body: await townCalendarOf(principal.townId).closures() });
export const putClosures = async ({ principal, body, now }: T<'putClosures'>) => ({
  body: await townCalendarOf(principal.townId).saveClosures(body, principal.username, now),
});
