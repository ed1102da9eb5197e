import type { ClockPause, Sla, SlaState, TownClosure, YearCalendar } from './api';
import { chinaDay, chinaMidnight, type DayTable, dayTable, instantMs, worked, yearOfDay } from './days';
import { WORKING_DAY_MS, WORKING_SESSIONS } from './rules';

/**
 * SLA deadlines counted in working time (decision: see the calendar entry in docs/decisions). The clock
 * of a matter runs only inside the working hours (WORKING_SESSIONS) of working days, and stands still
 * while a pause lasts (an extension request awaiting the level above). An SLA is a budget of working
 * time: M working hours from the moment the clock starts, or N whole working days counted from the
 * working day after the day it starts (the first day is not counted, as 民法典 art. 201 counts periods),
 * due at the close of the Nth. All instants are ISO strings; days are days in China (UTC+8).
 */

/** What decides the working days: the national calendars known, and the town's local closures. */
export type WorkCalendar = { calendars: readonly YearCalendar[]; closures: readonly TownClosure[] };

export type Deadline = {
  /** When the SLA's working time runs out; null while a pause with no end stops the clock before then. */
  due: string | null;
  /** Years the count went through that had no calendar: only weekends were taken as days off there. */
  withoutCalendar: number[];
};

/** How far a count may walk before it gives up: far beyond any SLA, short of looping for ever on a calendar all closed. */
const MAX_WALK_DAYS = 2000;

type Span = { from: number; to: number };

/** Pauses as spans of milliseconds in order of their start; one with no end lasts for ever. Overlaps need no merging: `running` skips what is already passed. */
function pauseSpans(pauses: readonly ClockPause[]): Span[] {
  return pauses
    .map((p) => ({ from: instantMs(p.from), to: p.to === undefined ? Number.POSITIVE_INFINITY : instantMs(p.to) }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from);
}

/** The running stretches of the clock inside one working session: the session, from `after` on, less the pauses. */
function* running(session: Span, after: number, paused: readonly Span[]): Generator<Span> {
  let cursor = Math.max(session.from, after);
  for (const p of paused) {
    if (cursor >= session.to) return;
    if (p.to <= cursor || p.from >= session.to) continue;
    if (p.from > cursor) yield { from: cursor, to: p.from };
    cursor = p.to;
  }
  if (cursor < session.to) yield { from: cursor, to: session.to };
}

const sessionsOf = (day: number): Span[] =>
  WORKING_SESSIONS.map((s) => ({ from: chinaMidnight(day) + s.from * 60_000, to: chinaMidnight(day) + s.to * 60_000 }));

/**
 * Spends `budget` ms of working time from `after` (no earlier than day `firstDay`), skipping the pauses:
 * the instant it runs out (null when an endless pause comes first) and the calendarless years walked.
 */
function spend(
  after: number,
  firstDay: number,
  budget: number,
  paused: readonly Span[],
  t: DayTable,
): { at: number | null; missing: number[] } {
  const missing = new Set<number>();
  let left = budget;
  const endless = paused.find((p) => p.to === Number.POSITIVE_INFINITY);
  for (let day = firstDay; day < firstDay + MAX_WALK_DAYS; day++) {
    // A pause with no end, begun before this day, has stopped the clock for good.
    if (endless && endless.from < chinaMidnight(day)) return { at: null, missing: [...missing] };
    const year = yearOfDay(day);
    if (!t.years.has(year)) missing.add(year);
    if (!worked(day, t)) continue;
    for (const session of sessionsOf(day))
      for (const r of running(session, after, paused)) {
        if (r.to - r.from >= left) return { at: r.from + left, missing: [...missing] };
        left -= r.to - r.from;
      }
  }
  throw new RangeError(`No working time within ${MAX_WALK_DAYS} days: the calendar is closed throughout.`);
}

/**
 * When a matter's SLA runs out. `start` is when its clock starts (the matter reaching the level);
 * `pauses` the stretches it stood still. A days SLA counts N working days from the day after the
 * start's and is due at the close of the Nth (17:30 in China); an hours SLA counts M hours of working
 * time from the start. Time paused inside working hours is added; a pause that begins after the due
 * changes nothing (an overdue matter stays overdue).
 */
export function slaDeadline(start: string, sla: Sla, pauses: readonly ClockPause[], cal: WorkCalendar): Deadline {
  const startMs = instantMs(start);
  const t = dayTable(cal.calendars, cal.closures);
  const paused = pauseSpans(pauses);
  const { at, missing } =
    sla.unit === 'working_days'
      ? spend(chinaMidnight(chinaDay(startMs) + 1), chinaDay(startMs) + 1, sla.amount * WORKING_DAY_MS, paused, t)
      : spend(startMs, chinaDay(startMs), sla.amount * 3_600_000, paused, t);
  return { due: at === null ? null : new Date(at).toISOString(), withoutCalendar: missing };
}

/** The working time (ms) between two instants: the part of [from, to] inside working hours of working days. */
export function workingTimeBetween(from: string, to: string, cal: WorkCalendar): number {
  const [a, b] = [instantMs(from), instantMs(to)];
  const t = dayTable(cal.calendars, cal.closures);
  let sum = 0;
  for (let day = chinaDay(a); day <= chinaDay(b); day++) {
    if (!worked(day, t)) continue;
    for (const s of sessionsOf(day)) sum += Math.max(0, Math.min(s.to, b) - Math.max(s.from, a));
  }
  return sum;
}

/**
 * Where a matter stands against its due: red once `now` is past it; yellow when it is due within one
 * working day, i.e. no more than WORKING_DAY_MS of working time is left (a matter due Monday at close
 * turns yellow at Friday's close); ok before that. It depends only on its arguments, so the supervision
 * job may run it again and again; a clock that stands still (due null) has no state to give.
 */
export function slaState(now: string, due: string, cal: WorkCalendar): SlaState {
  const [n, d] = [instantMs(now), instantMs(due)];
  if (n > d) return 'red';
  const t = dayTable(cal.calendars, cal.closures);
  const dayLater = spend(n, chinaDay(n), WORKING_DAY_MS, [], t).at ?? Number.POSITIVE_INFINITY;
  return d <= dayLater ? 'yellow' : 'ok';
}

/**
 * The instant one working day of working time after `now`: a due at or before it (and not past) is
 * yellow. The due-soon queue reads its index up to this instant.
 */
export function dueSoonLimit(now: string, cal: WorkCalendar): string {
  const n = instantMs(now);
  const at = spend(n, chinaDay(n), WORKING_DAY_MS, [], dayTable(cal.calendars, cal.closures)).at ?? Number.POSITIVE_INFINITY;
  return new Date(at).toISOString();
}
