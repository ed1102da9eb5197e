import type { TownClosure, YearCalendar } from './api';

/*
 * Day arithmetic of the calendar, internal to it. A day is counted as a whole number (days since
 * 1970-01-01) so that walking forward is an addition; its string form is yyyy-mm-dd. China keeps one
 * offset all year (UTC+8, no daylight saving), so the Chinese day of an instant is plain arithmetic.
 */

export const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The number of a yyyy-mm-dd day (already checked as a date). */
export const dayNumber = (d: string): number => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / DAY_MS;
/** The yyyy-mm-dd form of a day number. */
export const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** 0 is Sunday, 6 Saturday. */
export const weekday = (n: number): number => new Date(n * DAY_MS).getUTCDay();
export const isWeekend = (n: number): boolean => {
  const w = weekday(n);
  return w === 0 || w === 6;
};
export const yearOfDay = (n: number): number => new Date(n * DAY_MS).getUTCFullYear();

/** The day in China (Asia/Shanghai) an instant falls on. */
export const chinaDay = (ms: number): number => Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
/** The instant a day begins in China (00:00 Asia/Shanghai). */
export const chinaMidnight = (n: number): number => n * DAY_MS - CHINA_OFFSET_MS;

/**
 * The milliseconds of an ISO instant. It must carry its offset (`Z` or `+08:00`): a bare local time
 * would be read in the server's own zone, and the count would move with the machine.
 */
export function instantMs(iso: string): number {
  const ms = /(Z|[+-]\d{2}:\d{2})$/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO instant with an offset: ${iso}`);
  return ms;
}

/** The calendars and closures turned into sets of day numbers, once per computation. */
export type DayTable = {
  /** Days of the national holidays, whichever year's notice lists them. */
  holidays: Set<number>;
  makeUp: Set<number>;
  closed: Set<number>;
  /** The years that have a calendar. */
  years: Set<number>;
};

export function dayTable(calendars: readonly YearCalendar[], closures: readonly TownClosure[]): DayTable {
  const t: DayTable = { holidays: new Set(), makeUp: new Set(), closed: new Set(), years: new Set() };
  const addRange = (into: Set<number>, from: string, to: string) => {
    for (let n = dayNumber(from); n <= dayNumber(to); n++) into.add(n);
  };
  for (const c of calendars) {
    t.years.add(c.year);
    for (const h of c.holidays) addRange(t.holidays, h.from, h.to);
    for (const d of c.makeUpWorkdays) t.makeUp.add(dayNumber(d));
  }
  for (const c of closures) addRange(t.closed, c.from, c.to ?? c.from);
  return t;
}

/**
 * Whether a day is worked: not closed by the town, and either a make-up working day or a weekday that
 * is not a holiday. A year without its calendar has no holidays to know of: only weekends are off.
 */
export const worked = (n: number, t: DayTable): boolean => !t.closed.has(n) && !t.holidays.has(n) && (t.makeUp.has(n) || !isWeekend(n));
