import { day, isoTime, line, paragraph } from '../common/shapes';
import * as z from '../common/zod';
import { FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR, MAX_CLOSURES, MAX_SLA_DAYS, MAX_SLA_HOURS, SLA_UNITS } from './rules';

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
