import { AppError } from '../errors';
import type { TownClosure, YearCalendar } from './api';
import { dayNumber, dayTable, isWeekend, worked, yearOfDay } from './days';
export * from './limits';

/**
 * The working-day calendar's rules, as pure functions. A day is a working day when the town has not
 * closed it and it is either a make-up working day (调休上班) or a Monday to Friday that is not a
 * national holiday. The holidays and make-up days come from the State Council's yearly notice, entered
 * as a YearCalendar; a year whose notice is not entered yet counts weekends only, and the computations
 * that touch it say so (`yearsWithoutCalendar`), for the UI to tell the reader.
 */

/** The longest holiday a notice gives (Spring Festival, at most 9 days so far): a longer one is a typing slip. */
export const MAX_HOLIDAY_DAYS = 14;
/** The longest local closure: a longer one would stop every town deadline for weeks. */
export const MAX_CLOSURE_DAYS = 31;
/**
 * The first day of the year before that a notice may name: the New Year holiday and its make-up day
 * sometimes fall in the last days of December (the 2023 notice: 2022-12-31 to 2023-01-02 off).
 */
const SPILL_FROM = '-12-25';

/**
 * The working hours of every working day, in minutes after midnight in China: 08:30–12:00 and
 * 13:30–17:30, the hours of a township government's offices. Hours deadlines count only inside them;
 * a days deadline falls at the close of its last day.
 */
export const WORKING_SESSIONS: ReadonlyArray<{ from: number; to: number }> = [
  { from: 8 * 60 + 30, to: 12 * 60 },
  { from: 13 * 60 + 30, to: 17 * 60 + 30 },
];
/** The working time of one working day, in milliseconds (7.5 hours). */
export const WORKING_DAY_MS = WORKING_SESSIONS.reduce((sum, s) => sum + (s.to - s.from) * 60_000, 0);

/** Whether a day (yyyy-mm-dd) is a working day, given the national calendars known and the town's closures. */
export function isWorkingDay(day: string, calendars: readonly YearCalendar[], closures: readonly TownClosure[] = []): boolean {
  return worked(dayNumber(day), dayTable(calendars, closures));
}

/**
 * The years from `from` to `to` (days, both included) that have no calendar, in order: a count over
 * them took only weekends as days off.
 */
export function yearsWithoutCalendar(from: string, to: string, calendars: readonly YearCalendar[]): number[] {
  const known = new Set(calendars.map((c) => c.year));
  const out: number[] = [];
  for (let y = yearOfDay(dayNumber(from)); y <= yearOfDay(dayNumber(to)); y++) if (!known.has(y)) out.push(y);
  return out;
}

const inclusiveDays = (from: string, to: string) => dayNumber(to) - dayNumber(from) + 1;

/**
 * A year's calendar checked as a whole, as county IT submits it from the notice (the shape is
 * yearCalendarSchema's): every date lies in the year (a New Year holiday and its make-up day may start
 * in the last week of December before), a holiday ends on or after its first day and lasts at most
 * MAX_HOLIDAY_DAYS, holidays do not overlap, and a make-up working day is a Saturday or Sunday that is
 * no holiday, listed once. Refuses the first fault found with its field.
 */
export function validateYearCalendar(cal: YearCalendar): void {
  const first = `${cal.year - 1}${SPILL_FROM}`;
  const start = `${cal.year}-01-01`;
  const last = `${cal.year}-12-31`;
  const outside = (field: string) =>
    new AppError(
      'calendar.outside_year',
      422,
      `Each date of the ${cal.year} calendar lies in ${cal.year} (a New Year holiday may begin in late December).`,
      {
        field,
      },
    );
  cal.holidays.forEach((h, i) => {
    const field = `body.holidays.${i}`;
    if (h.from < first || h.from > last) throw outside(`${field}.from`);
    if (h.to < start || h.to > last) throw outside(`${field}.to`);
    if (h.to < h.from)
      throw new AppError('calendar.range_reversed', 422, 'A holiday ends on or after its first day.', { field: `${field}.to` });
    if (inclusiveDays(h.from, h.to) > MAX_HOLIDAY_DAYS)
      throw new AppError('calendar.holiday_too_long', 422, `A holiday lasts at most ${MAX_HOLIDAY_DAYS} days.`, { field: `${field}.to` });
  });
  const byStart = cal.holidays.map((h, i) => ({ ...h, i })).sort((a, b) => a.from.localeCompare(b.from) || a.i - b.i);
  for (let k = 1; k < byStart.length; k++) {
    const [prev, next] = [byStart[k - 1], byStart[k]];
    if (prev && next && next.from <= prev.to)
      throw new AppError('calendar.holidays_overlap', 422, `${next.name} overlaps ${prev.name}.`, {
        field: `body.holidays.${next.i}.from`,
      });
  }
  const seen = new Set<string>();
  cal.makeUpWorkdays.forEach((d, i) => {
    const field = `body.makeUpWorkdays.${i}`;
    if (d < first || d > last) throw outside(field);
    if (seen.has(d)) throw new AppError('calendar.duplicate_day', 422, `${d} is listed twice.`, { field });
    seen.add(d);
    if (!isWeekend(dayNumber(d)))
      throw new AppError('calendar.makeup_not_weekend', 422, `${d} is a weekday: a make-up working day is a Saturday or Sunday.`, {
        field,
      });
    const holiday = cal.holidays.find((h) => h.from <= d && d <= h.to);
    if (holiday) throw new AppError('calendar.makeup_in_holiday', 422, `${d} is a day of ${holiday.name}, not a working day.`, { field });
  });
}

/** A town's closures checked: each ends on or after its first day and lasts at most MAX_CLOSURE_DAYS. */
export function validateTownClosures(closures: readonly TownClosure[]): void {
  closures.forEach((c, i) => {
    const to = c.to ?? c.from;
    const field = `body.closures.${i}.to`;
    if (to < c.from) throw new AppError('closure.range_reversed', 422, 'A closure ends on or after its first day.', { field });
    if (inclusiveDays(c.from, to) > MAX_CLOSURE_DAYS)
      throw new AppError('closure.too_long', 422, `A closure lasts at most ${MAX_CLOSURE_DAYS} days.`, { field });
  });
}
