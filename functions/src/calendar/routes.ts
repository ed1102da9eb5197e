import {
  calendarEntrySchema,
  calendarListSchema,
  calendarYearParamSchema,
  COUNTY_ADMIN,
  TOWN_ADMIN,
  townCalendarSchema,
  townClosuresPutSchema,
  townClosuresViewSchema,
  yearCalendarBodySchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { define, TOWN_ANY } from '../spec';

const yearParams = z.strictObject({ year: calendarYearParamSchema });

/**
 * The national working-day calendar as county IT keeps it (issue 13): the years known, one year, and
 * saving a year from the State Council's notice at the version read. Saving copies the year into every
 * town (decision 88).
 */
export const calendarCounty = {
  listCalendars: define({
    id: 'calendar.list',
    response: calendarListSchema,
    method: 'GET',
    path: '/admin/calendars',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    summary: 'The years that have a national working-day calendar, shipped or entered by county IT',
  }),
  getCalendar: define({
    id: 'calendar.get',
    response: calendarEntrySchema,
    method: 'GET',
    path: '/admin/calendars/{year}',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    params: yearParams,
    summary: "One year's holidays and make-up working days, with the notice they come from",
  }),
  putCalendar: define({
    id: 'calendar.put',
    response: calendarEntrySchema,
    method: 'PUT',
    path: '/admin/calendars/{year}',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    params: yearParams,
    body: yearCalendarBodySchema,
    summary: 'Enter or correct a year from the notice, at the version read (0 for a new year); every town gets a copy',
  }),
} as const;

/** The working-day calendar as a town sees it, and the town's local closures. */
export const calendarTown = {
  getTownCalendar: define({
    id: 'calendar.town',
    response: townCalendarSchema,
    method: 'GET',
    path: '/town/calendar',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    query: z.strictObject({ year: z.optional(calendarYearParamSchema) }),
    summary: 'A year as the town counts working days: holidays, make-up days, closures; hasCalendar false counts weekends only',
  }),
  getClosures: define({
    id: 'calendar.closures.get',
    response: townClosuresViewSchema,
    method: 'GET',
    path: '/town/closures',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: "The town's local closures, with the version to save at",
  }),
  putClosures: define({
    id: 'calendar.closures.put',
    response: townClosuresViewSchema,
    method: 'PUT',
    path: '/town/closures',
    area: 'town',
    audience: 'town',
    roles: TOWN_ADMIN,
    body: townClosuresPutSchema,
    summary: "Replace the town's local closures (the list given is the list kept), at the version read",
  }),
} as const;
