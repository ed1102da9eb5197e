import { api } from '../api';
import type { CalendarEntry, CalendarList, TownCalendar, TownClosure, TownClosuresView, YearCalendar } from '@gridline/domain';

/**
 * The working-day calendar's calls (functions/src/calendar/routes.ts): county IT's years and the
 * editor's save, a year as a town counts it, and the town's closures.
 */
export const calendars = {
  list: () => api.get<CalendarList>('/admin/calendars'),
  get: (year: number) => api.get<CalendarEntry>(`/admin/calendars/${year}`),
  /** Saves at the version read (0 for a year not entered yet); a 409 means someone saved first. */
  save: (calendar: YearCalendar, version: number) =>
    api.put<CalendarEntry>(`/admin/calendars/${calendar.year}`, { ...calendar, version }).then((r) => r.body),
  townYear: (year: number) => api.get<TownCalendar>('/town/calendar', { year: String(year) }),
  closures: () => api.get<TownClosuresView>('/town/closures'),
  saveClosures: (closures: TownClosure[], version: number) =>
    api.put<TownClosuresView>('/town/closures', { closures, version }).then((r) => r.body),
};
