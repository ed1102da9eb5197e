import type { ClockPause, SlaState } from '../calendar/api';
import { chinaMidnight, dayNumber } from '../calendar/days';
import { slaDeadline, slaState, type WorkCalendar } from '../calendar/sla';
import type { CategorySla } from './catalogue';
import type { Matter } from './rules';

/*
 * A matter's clock: which deadline it is running against now, when that falls due and how it stands.
 * Pure; the data layer stores the result on the matter's queue entries and the supervision job
 * recomputes it (decision 83), so a year entered or a closure added later moves open deadlines.
 */

/** What the clock of a matter is counting: to accept it at its level, or to resolve it there. */
export type ClockKind = 'accept' | 'resolve';

export type MatterClock = {
  kind: ClockKind | null;
  /** Null when no clock runs (transferred, resolved, closed, merged) or a pending extension stops it. */
  due: string | null;
  state: SlaState | null;
  withoutCalendar: number[];
};

export const NO_CLOCK: MatterClock = { kind: null, due: null, state: null, withoutCalendar: [] };

/** 17:30 China time of a day (`YYYY-MM-DD`): when an extension granted "until" that day runs out. */
export const closeOfDay = (day: string): string => new Date(chinaMidnight(dayNumber(day)) + (17 * 60 + 30) * 60_000).toISOString();

/**
 * The clock of a matter at `now`. Open: the level's accept SLA from when it reached the level;
 * accepted: the level's resolve SLA from the same start (the level answers for the whole stay). A
 * transferred matter waits on a county department and runs no town clock; a resolved one waits for its
 * return visit. Extensions asked at the level pause the clock from the request to the decision (a
 * pending one stops it); an approved one also moves the due to the close of the day granted, if later.
 */
export function matterClock(m: Matter, sla: CategorySla, cal: WorkCalendar, now: string): MatterClock {
  if (m.status !== 'open' && m.status !== 'accepted') return NO_CLOCK;
  const kind: ClockKind = m.status === 'open' ? 'accept' : 'resolve';
  const here = m.extensions.filter((e) => e.level === m.level && e.requestedAt >= m.levelSince);
  const pauses: ClockPause[] = here
    .filter((e) => e.status === 'requested' || e.status === 'approved' || e.status === 'rejected')
    .map((e) => ({ from: e.requestedAt, ...(e.decidedAt ? { to: e.decidedAt } : {}) }));
  const d = slaDeadline(m.levelSince, sla[m.level][kind], pauses, cal);
  let due = d.due;
  if (due !== null)
    for (const e of here)
      if (e.status === 'approved') {
        const granted = closeOfDay(e.until);
        if (granted > due) due = granted;
      }
  return { kind, due, state: due === null ? null : slaState(now, due, cal), withoutCalendar: d.withoutCalendar };
}
