import { day, isoTime, line, paragraph } from '../common/shapes';
import * as z from '../common/zod';
import { FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR, MAX_CLOSURES, MAX_SLA_DAYS, MAX_SLA_HOURS, SLA_UNITS } from './limits';

/*
 * The working-day calendar: the State Council's holidays and make-up working days of a year (as county
 * IT enters them from the notice), a town's local closures, and the SLA a deadline is counted in. These
 * schemas check the shape; ./rules checks what only the whole can tell (dates in the year, make-up days
 * on weekends, no overlaps) and ./sla counts the deadlines.
 */

/** One holiday of the notice: its name and its days off, first and last included. */
export const holidaySchema = z.strictObject({ name: line(20), from: day, to: day });

/** A year's calendar as the State Council publishes it (国务院办公厅关于部分节假日安排的通知). */
export const yearCalendarSchema = z.strictObject({
  year: z.int().check(z.minimum(FIRST_CALENDAR_YEAR), z.maximum(LAST_CALENDAR_YEAR)),
  /** The notice the days come from (its title and date), so a reader can check them. */
  source: line(200),
  holidays: z.array(holidaySchema).check(z.maxLength(20)),
  /** Weekend days that are working days (调休上班). */
  makeUpWorkdays: z.array(day).check(z.maxLength(20)),
  note: z.optional(paragraph(500)),
});
export type Holiday = z.infer<typeof holidaySchema>;
export type YearCalendar = z.infer<typeof yearCalendarSchema>;

/** A town's local closure (a typhoon, an election day…): one day, or `from` to `to` both included. */
export const townClosureSchema = z.strictObject({ from: day, to: z.optional(day), reason: line(100) });
/** A town's closures as its admin saves them: the list given replaces the one kept. */
export const townClosuresBodySchema = z.strictObject({ closures: z.array(townClosureSchema).check(z.maxLength(MAX_CLOSURES)) });
export type TownClosure = z.infer<typeof townClosureSchema>;

export const slaUnitSchema = z.enum(SLA_UNITS);
/** An SLA: so many working days, or working hours. */
export const slaSchema = z.union([
  z.strictObject({ unit: z.literal('working_days'), amount: z.int().check(z.minimum(1), z.maximum(MAX_SLA_DAYS)) }),
  z.strictObject({ unit: z.literal('working_hours'), amount: z.int().check(z.minimum(1), z.maximum(MAX_SLA_HOURS)) }),
]);
export type Sla = z.infer<typeof slaSchema>;

/** A stretch during which a matter's clock stands still; without `to` it still stands. */
export const clockPauseSchema = z.object({ from: isoTime, to: z.optional(isoTime) });
export type ClockPause = z.infer<typeof clockPauseSchema>;

export const slaStateSchema = z.enum(['ok', 'yellow', 'red']);
export type SlaState = z.infer<typeof slaStateSchema>;

// --- The calendar's routes: county IT's editor and what a town sees ---------------------------------

/** Where a year's calendar comes from: shipped with the product, or entered by county IT (which wins). */
export const calendarOriginSchema = z.enum(['shipped', 'county']);
export type CalendarOrigin = z.infer<typeof calendarOriginSchema>;

/** A year as a path parameter or query (`2027`), inside the years a calendar may have (2000–2100). */
export const calendarYearParamSchema = z.string().check(z.regex(/^(20\d{2}|2100)$/, 'A year from 2000 to 2100, four digits (2027).'));

/** A year calendar as county IT saves it: the calendar and the version it was read at (0 for a year not entered yet). */
export const yearCalendarBodySchema = z.strictObject({
  ...yearCalendarSchema.shape,
  version: z.int().check(z.minimum(0)),
});
export type YearCalendarBody = z.infer<typeof yearCalendarBodySchema>;

/** A town's closures as its admin saves them, at the version read (0 when none were ever saved). */
export const townClosuresPutSchema = z.strictObject({
  ...townClosuresBodySchema.shape,
  version: z.int().check(z.minimum(0)),
});
export type TownClosuresPut = z.infer<typeof townClosuresPutSchema>;

/** One year known to the county, shipped or entered. `version` is 0 for a shipped year nobody has saved. */
export const calendarYearInfoSchema = z.strictObject({
  year: z.int(),
  origin: calendarOriginSchema,
  source: z.string(),
  version: z.int().check(z.minimum(0)),
  savedAt: z.optional(isoTime),
  savedBy: z.optional(z.string()),
});
export type CalendarYearInfo = z.infer<typeof calendarYearInfoSchema>;

/** GET /admin/calendars: the years that have a calendar, oldest first. */
export const calendarListSchema = z.strictObject({ years: z.array(calendarYearInfoSchema) });
export type CalendarList = z.infer<typeof calendarListSchema>;

/** GET and PUT /admin/calendars/{year}: the calendar with where it comes from and its version. */
export const calendarEntrySchema = z.strictObject({ ...calendarYearInfoSchema.shape, calendar: yearCalendarSchema });
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;

/** GET and PUT /town/closures: every closure of the town, with the version to save at. */
export const townClosuresViewSchema = z.strictObject({
  closures: z.array(townClosureSchema),
  version: z.int().check(z.minimum(0)),
  updatedAt: z.optional(isoTime),
  updatedBy: z.optional(z.string()),
});
export type TownClosuresView = z.infer<typeof townClosuresViewSchema>;

/**
 * GET /town/calendar: a year as the town counts it. `hasCalendar: false` means no national calendar is
 * known for the year: its holidays are empty and deadlines in it count weekends only.
 */
export const townCalendarSchema = z.strictObject({
  year: z.int(),
  hasCalendar: z.boolean(),
  origin: z.optional(calendarOriginSchema),
  source: z.optional(z.string()),
  holidays: z.array(holidaySchema),
  makeUpWorkdays: z.array(day),
  /** The town's closures that touch the year. */
  closures: z.array(townClosureSchema),
  workingDays: z.int().check(z.minimum(0)),
});
export type TownCalendar = z.infer<typeof townCalendarSchema>;
