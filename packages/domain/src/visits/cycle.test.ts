import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, householdCycle, isOverdue, moveTagCounts, nextDue, overdueDays, visitDay } from './cycle';

const cycles = { householdDays: 30, byTag: { elderly_alone: 7, disabled: 14, low_income: 14 } };

describe('visit cycles', () => {
  it('takes the shortest cycle among the members’ tags, else the household cycle', () => {
    expect(householdCycle({}, cycles)).toEqual({ days: 30, drivenBy: [] });
    expect(householdCycle({ veteran: 1 }, cycles)).toEqual({ days: 30, drivenBy: [] });
    expect(householdCycle({ disabled: 1, low_income: 2 }, cycles)).toEqual({ days: 14, drivenBy: ['disabled', 'low_income'] });
    expect(householdCycle({ disabled: 1, elderly_alone: 1 }, cycles)).toEqual({ days: 7, drivenBy: ['elderly_alone'] });
    expect(householdCycle({ elderly_alone: 0 }, cycles)).toEqual({ days: 30, drivenBy: [] });
    // A tag whose cycle is longer than the household's does not lengthen it.
    expect(householdCycle({ rare: 1 }, { householdDays: 30, byTag: { rare: 60 } }).days).toBe(30);
  });

  it('moves tag counts as members come and go, dropping counts that reach nought', () => {
    const one = moveTagCounts({}, ['elderly_alone', 'disabled', 'disabled'], 1);
    expect(one).toEqual({ elderly_alone: 1, disabled: 1 });
    expect(moveTagCounts(moveTagCounts(one, ['disabled'], 1), ['disabled'], -1)).toEqual(one);
    expect(moveTagCounts(one, ['elderly_alone', 'disabled'], -1)).toEqual({});
  });

  it('counts the due day from the last visit, else from entry, across month and year ends', () => {
    expect(nextDue({ since: '2026-12-20' }, 30)).toBe('2027-01-19');
    expect(nextDue({ since: '2026-01-01', lastVisitOn: '2026-02-25' }, 7)).toBe('2026-03-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
  });

  it('is overdue only once the due day has passed', () => {
    expect(isOverdue('2026-12-06', '2026-12-06')).toBe(false);
    expect(isOverdue('2026-12-05', '2026-12-06')).toBe(true);
    expect(overdueDays('2026-12-01', '2026-12-06')).toBe(5);
    expect(overdueDays('2026-12-09', '2026-12-06')).toBe(0);
  });

  it('dates a visit by the China day', () => {
    expect(visitDay('2026-12-05T16:30:00Z')).toBe('2026-12-06');
    expect(visitDay('2026-12-05T15:59:00Z')).toBe('2026-12-05');
  });
});
