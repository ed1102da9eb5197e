import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClockPause, Sla, TownClosure, YearCalendar } from './api';
import { CN_2026 } from './cn-2026';
import { isWorkingDay, WORKING_DAY_MS } from './rules';
import { slaDeadline, slaState, type WorkCalendar, workingTimeBetween } from './sla';

/** An instant given as wall time in China ('2026-02-13 10:00'), as the ISO UTC string the rules take. */
const at = (wall: string) => new Date(`${wall.replace(' ', 'T')}${wall.length === 16 ? ':00' : ''}+08:00`).toISOString();
/** An ISO instant as wall time in China, to the minute. */
const wall = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const cal: WorkCalendar = { calendars: [CN_2026], closures: [] };
const days = (amount: number): Sla => ({ unit: 'working_days', amount });
const hours = (amount: number): Sla => ({ unit: 'working_hours', amount });
const due = (start: string, sla: Sla, pauses: ClockPause[] = [], c: WorkCalendar = cal) => {
  const d = slaDeadline(at(start), sla, pauses, c).due;
  return d === null ? null : wall(d);
};
const pause = (from: string, to?: string): ClockPause => (to ? { from: at(from), to: at(to) } : { from: at(from) });

describe('deadlines in working days', () => {
  it('spans the Spring Festival: raised Friday 13 February, 5 days count 14, 24, 25, 26, 27', () => {
    const d = slaDeadline(at('2026-02-13 10:00'), days(5), [], cal);
    expect(d).toEqual({ due: '2026-02-27T09:30:00.000Z', withoutCalendar: [] });
    expect(due('2026-02-13 10:00', days(1))).toBe('2026-02-14 17:30'); // the make-up Saturday
    expect(due('2026-02-13 10:00', days(2))).toBe('2026-02-24 17:30'); // over the nine days off
  });

  it('crosses the make-up Saturday of 28 February', () => {
    expect(due('2026-02-25 09:00', days(3))).toBe('2026-02-28 17:30');
    expect(due('2026-02-25 09:00', days(4))).toBe('2026-03-02 17:30');
    // Without the calendar, 28 February would be an ordinary Saturday and 16 February a Monday.
    expect(due('2026-02-25 09:00', days(3), [], { calendars: [], closures: [] })).toBe('2026-03-02 17:30');
    expect(due('2026-02-13 10:00', days(1), [], { calendars: [], closures: [] })).toBe('2026-02-16 17:30');
  });

  it('does not count the day it starts, whatever the hour, nor a holiday it starts on', () => {
    expect(due('2026-03-02 00:05', days(1))).toBe('2026-03-03 17:30');
    expect(due('2026-03-02 17:59', days(1))).toBe('2026-03-03 17:30');
    expect(due('2026-03-02 23:59', days(1))).toBe('2026-03-03 17:30');
    expect(due('2026-02-15 10:00', days(1))).toBe('2026-02-24 17:30'); // raised on the first day of Spring Festival
  });

  it('passes National Day and works 10 October', () => {
    expect(due('2026-09-29 10:00', days(1))).toBe('2026-09-30 17:30');
    expect(due('2026-09-29 10:00', days(2))).toBe('2026-10-08 17:30');
    expect(due('2026-09-29 10:00', days(4))).toBe('2026-10-10 17:30');
    expect(due('2026-09-29 10:00', days(5))).toBe('2026-10-12 17:30');
  });

  it('passes New Year and works Sunday 4 January', () => {
    expect(due('2025-12-31 16:00', days(1))).toBe('2026-01-04 17:30');
    expect(due('2026-01-02 10:00', days(2))).toBe('2026-01-05 17:30');
  });

  it('counts a year without a calendar by weekends only, and says which year', () => {
    const d = slaDeadline(at('2026-12-31 10:00'), days(3), [], cal);
    // 1 January 2027 is a Friday: counted as worked, for want of the 2027 notice.
    expect(wall(d.due ?? '')).toBe('2027-01-05 17:30');
    expect(d.withoutCalendar).toEqual([2027]);
    const with2027: YearCalendar = {
      year: 2027,
      source: 'test',
      holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
      makeUpWorkdays: [],
    };
    const known = slaDeadline(at('2026-12-31 10:00'), days(3), [], { calendars: [CN_2026, with2027], closures: [] });
    expect(known).toEqual({ due: at('2027-01-06 17:30'), withoutCalendar: [] });
    // A count that stays in 2026 does not mention 2027.
    expect(slaDeadline(at('2026-12-24 10:00'), days(3), [], cal).withoutCalendar).toEqual([]);
  });

  it("skips the town's closures", () => {
    const closures: TownClosure[] = [{ from: '2026-07-14', to: '2026-07-15', reason: '台风' }];
    expect(due('2026-07-13 10:00', days(2))).toBe('2026-07-15 17:30');
    expect(due('2026-07-13 10:00', days(2), [], { calendars: [CN_2026], closures })).toBe('2026-07-17 17:30');
    // A closed make-up Saturday is not worked either.
    expect(due('2026-02-13 10:00', days(1), [], { calendars: [CN_2026], closures: [{ from: '2026-02-14', reason: '选举' }] })).toBe(
      '2026-02-24 17:30',
    );
  });
});

describe('deadlines in working hours', () => {
  it('skips the lunch break', () => {
    expect(due('2026-03-09 11:00', hours(2))).toBe('2026-03-09 14:30');
    expect(due('2026-03-09 10:00', hours(2))).toBe('2026-03-09 12:00');
    expect(due('2026-03-09 12:30', hours(1))).toBe('2026-03-09 14:30');
  });

  it('goes on the next working morning after the close', () => {
    expect(due('2026-03-10 17:00', hours(2))).toBe('2026-03-11 10:00');
    expect(due('2026-03-10 20:00', hours(1))).toBe('2026-03-11 09:30');
    expect(due('2026-03-13 17:00', hours(1))).toBe('2026-03-16 09:00'); // Friday to Monday
  });

  it('skips a holiday and counts a whole working day as 7.5 hours', () => {
    expect(due('2026-04-30 16:00', hours(4))).toBe('2026-05-06 11:00'); // 1.5 h, then May Day 1–5 off
    expect(due('2026-03-09 08:30', hours(15))).toBe('2026-03-10 17:30');
    expect(due('2026-02-13 16:30', hours(3))).toBe('2026-02-14 10:30'); // into the make-up Saturday
  });
});

describe('a paused clock', () => {
  // Raised Monday 2 March, 5 working days: due Monday 9 March at the close.
  const start = '2026-03-02 10:00';
  it('adds the working time the pause covers', () => {
    expect(due(start, days(5))).toBe('2026-03-09 17:30');
    expect(due(start, days(5), [pause('2026-03-04 08:30', '2026-03-05 17:30')])).toBe('2026-03-11 17:30');
    expect(due(start, days(5), [pause('2026-03-03 14:00', '2026-03-03 16:00')])).toBe('2026-03-10 10:30');
    // Wednesday 16:00 to Thursday 10:00 covers 1.5 h + 1.5 h of working time.
    expect(due(start, days(5), [pause('2026-03-04 16:00', '2026-03-05 10:00')])).toBe('2026-03-10 11:30');
  });

  it('adds nothing for time outside working hours or on the day the count does not use', () => {
    expect(due(start, days(5), [pause('2026-03-07 09:00', '2026-03-08 18:00')])).toBe('2026-03-09 17:30'); // a weekend
    expect(due(start, days(5), [pause('2026-03-03 12:00', '2026-03-03 13:30')])).toBe('2026-03-09 17:30'); // lunch
    expect(due(start, days(5), [pause('2026-03-02 10:00', '2026-03-02 17:00')])).toBe('2026-03-09 17:30'); // the start's day
  });

  it('counts overlapping pauses once', () => {
    const a = pause('2026-03-04 08:30', '2026-03-04 12:00');
    const b = pause('2026-03-04 10:00', '2026-03-04 12:00');
    expect(due(start, days(5), [a, b])).toBe(due(start, days(5), [a]));
    expect(due(start, days(5), [b, a])).toBe('2026-03-10 12:00');
  });

  it('stops the clock while a pause has no end, unless it began after the due', () => {
    expect(slaDeadline(at(start), days(5), [pause('2026-03-04 09:00')], cal).due).toBeNull();
    expect(slaDeadline(at(start), days(5), [pause('2026-03-01 09:00')], cal).due).toBeNull();
    expect(due(start, days(5), [pause('2026-03-09 17:30')])).toBe('2026-03-09 17:30');
    expect(due(start, days(5), [pause('2026-03-10 09:00')])).toBe('2026-03-09 17:30');
  });

  it('pauses an hours deadline too', () => {
    // 0.5 h run before the pause, 1.5 h after it.
    expect(due('2026-03-09 11:00', hours(2), [pause('2026-03-09 11:30', '2026-03-09 14:00')])).toBe('2026-03-09 15:30');
  });
});

describe('yellow and red', () => {
  const state = (now: string, dueAt: string) => slaState(at(now), at(dueAt), cal);
  it('turns yellow when one working day or less is left, red once past the due', () => {
    const d = '2026-03-09 17:30'; // a Monday
    expect(state('2026-03-06 17:29', d)).toBe('ok');
    expect(state('2026-03-06 17:30', d)).toBe('yellow'); // Friday's close: Monday is all that is left
    expect(state('2026-03-07 12:00', d)).toBe('yellow');
    expect(state('2026-03-09 17:30', d)).toBe('yellow');
    expect(slaState(new Date(Date.parse(at(d)) + 1).toISOString(), at(d), cal)).toBe('red');
  });

  it('measures the working day on the calendar, across a holiday', () => {
    // Due the first day after Spring Festival: yellow from the close of the make-up Saturday, nine days before.
    expect(state('2026-02-14 17:29', '2026-02-24 17:30')).toBe('ok');
    expect(state('2026-02-14 17:30', '2026-02-24 17:30')).toBe('yellow');
    // Mid-day: 10:00 to 10:00 the next working day is one working day.
    expect(state('2026-03-10 10:00', '2026-03-11 10:00')).toBe('yellow');
    expect(state('2026-03-10 10:00', '2026-03-11 10:01')).toBe('ok');
  });

  it('gives the same answer however often it runs', () => {
    const runs = [1, 2, 3].map(() => state('2026-03-06 17:30', '2026-03-09 17:30'));
    expect(runs).toEqual(['yellow', 'yellow', 'yellow']);
  });
});

describe('working time between two instants', () => {
  it('counts only working hours of working days', () => {
    expect(workingTimeBetween(at('2026-03-06 10:00'), at('2026-03-09 10:00'), cal)).toBe(WORKING_DAY_MS);
    expect(workingTimeBetween(at('2026-02-13 17:30'), at('2026-02-24 08:30'), cal)).toBe(WORKING_DAY_MS); // the make-up Saturday
    expect(workingTimeBetween(at('2026-03-09 12:00'), at('2026-03-09 13:30'), cal)).toBe(0);
    expect(workingTimeBetween(at('2026-03-09 13:00'), at('2026-03-09 10:00'), cal)).toBe(0);
  });
});

// Properties, against counts made here minute by minute or day by day from isWorkingDay alone.
describe('properties', () => {
  const MIN = 60_000;
  const from2026 = Date.UTC(2026, 0, 1) - 8 * 3_600_000;
  const startArb = fc.integer({ min: 0, max: 350 * 24 * 60 }).map((m) => new Date(from2026 + m * MIN).toISOString());
  const dayArb = fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));
  const closuresArb = fc.array(
    fc.record({ from: dayArb, len: fc.integer({ min: 0, max: 4 }) }).map(({ from, len }) => ({
      from,
      to: new Date(Date.parse(from) + len * 86_400_000).toISOString().slice(0, 10),
      reason: 'x',
    })),
    { maxLength: 3 },
  );
  const slaArb = fc.oneof(fc.integer({ min: 1, max: 12 }).map(days), fc.integer({ min: 1, max: 30 }).map(hours));
  const pausesArb = fc.array(
    fc.record({ start: startArb, len: fc.integer({ min: 1, max: 5 * 24 * 60 }) }).map(({ start, len }) => ({
      from: start,
      to: new Date(Date.parse(start) + len * MIN).toISOString(),
    })),
    { maxLength: 2 },
  );
  const dayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  const minuteOfDay = (ms: number) => Math.floor(((ms + 8 * 3_600_000) % 86_400_000) / MIN);
  const inHours = (m: number) => (m >= 510 && m < 720) || (m >= 810 && m < 1050);
  const insideWorkingTime = (iso: string, c: WorkCalendar) => {
    const ms = Date.parse(iso);
    // The due closes a working minute: the minute before it is worked.
    return isWorkingDay(dayOf(ms - 1), c.calendars, c.closures) && inHours(minuteOfDay(ms - 1));
  };
  const dueMs = (start: string, sla: Sla, c: WorkCalendar, pauses: ClockPause[] = []) =>
    Date.parse(slaDeadline(start, sla, pauses, c).due ?? '');

  it('due in working days: the close of the Nth working day after the start day', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 12 }), closuresArb, (start, n, closures) => {
        let d = Date.parse(`${dayOf(Date.parse(start))}T00:00:00Z`);
        for (let left = n; left > 0; ) {
          d += 86_400_000;
          if (isWorkingDay(new Date(d).toISOString().slice(0, 10), [CN_2026], closures)) left--;
        }
        const expected = at(`${new Date(d).toISOString().slice(0, 10)} 17:30`);
        expect(slaDeadline(start, days(n), [], { calendars: [CN_2026], closures }).due).toBe(expected);
      }),
    );
  });

  it('due in working hours: after M hours of worked minutes', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 16 }), closuresArb, (start, m, closures) => {
        const worked = new Map<string, boolean>();
        const isWorked = (ms: number) => {
          const d = dayOf(ms);
          if (!worked.has(d)) worked.set(d, isWorkingDay(d, [CN_2026], closures));
          return worked.get(d) && inHours(minuteOfDay(ms));
        };
        let t = Date.parse(start);
        for (let left = m * 60; left > 0; t += MIN) if (isWorked(t)) left--;
        expect(slaDeadline(start, hours(m), [], { calendars: [CN_2026], closures }).due).toBe(new Date(t).toISOString());
      }),
    );
  });

  it('is later for a longer SLA, never earlier for a closure or a pause, and always inside working time', () => {
    fc.assert(
      fc.property(startArb, slaArb, closuresArb, pausesArb, (start, sla, closures, pauses) => {
        const c = { calendars: [CN_2026], closures };
        const base = dueMs(start, sla, { calendars: [CN_2026], closures: [] });
        expect(dueMs(start, { ...sla, amount: sla.amount + 1 }, cal)).toBeGreaterThan(base);
        expect(dueMs(start, sla, c)).toBeGreaterThanOrEqual(base);
        const paused = slaDeadline(start, sla, pauses, c).due ?? '';
        expect(Date.parse(paused)).toBeGreaterThanOrEqual(dueMs(start, sla, c));
        expect(insideWorkingTime(paused, c)).toBe(true);
      }),
    );
  });

  it('spends exactly the SLA in working time outside the pauses', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 30 }), pausesArb, (start, m, pauses) => {
        const d = slaDeadline(start, hours(m), pauses, cal).due ?? '';
        // Overlapping pauses are merged by the rule; keep to disjoint ones here.
        const [p, q] = pauses;
        fc.pre(!p || !q || p.to <= q.from || q.to <= p.from);
        const clip = (s: string) => (s < start ? start : s > d ? d : s);
        const pausedTime = pauses.reduce((sum, x) => sum + workingTimeBetween(clip(x.from), clip(x.to), cal), 0);
        expect(workingTimeBetween(start, d, cal) - pausedTime).toBe(m * 3_600_000);
      }),
    );
  });

  it('moves only forward through ok, yellow, red as time passes', () => {
    const rank = { ok: 0, yellow: 1, red: 2 };
    fc.assert(
      fc.property(startArb, startArb, startArb, (dueAt, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(rank[slaState(early, dueAt, cal)]).toBeLessThanOrEqual(rank[slaState(late, dueAt, cal)]);
      }),
    );
  });
});
