import { describe, expect, it } from 'vitest';
import * as z from '../common/zod';
import type { AppError } from '../errors';
import { type TownClosure, townClosuresBodySchema, type YearCalendar, yearCalendarSchema } from './api';
import { CN_2026 } from './cn-2026';
import { isWorkingDay, validateTownClosures, validateYearCalendar, WORKING_DAY_MS, yearsWithoutCalendar } from './rules';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const err = e as AppError;
    return { code: err.code, field: err.field };
  }
  return 'none';
};
const cals = [CN_2026];
const working = (d: string, closures: TownClosure[] = []) => isWorkingDay(d, cals, closures);

describe('the 2026 calendar shipped', () => {
  it('passes the checks county IT meets in the editor', () => {
    expect(z.safeParse(yearCalendarSchema, CN_2026).success).toBe(true);
    expect(refusal(() => validateYearCalendar(CN_2026))).toBe('none');
  });

  it('holds the notice: 33 days off in seven holidays, six make-up working days', () => {
    const off = CN_2026.holidays.map((h) => (Date.parse(h.to) - Date.parse(h.from)) / 86_400_000 + 1);
    expect(off).toEqual([3, 9, 3, 5, 3, 3, 7]);
    expect(CN_2026.makeUpWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('counts 248 working days in 2026', () => {
    let n = 0;
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) if (working(new Date(t).toISOString().slice(0, 10))) n++;
    // 261 weekdays, less the 19 weekdays inside holidays, plus the 6 make-up days.
    expect(n).toBe(261 - 19 + 6);
  });
});

describe('working days', () => {
  it('takes the Spring Festival off and works its make-up Saturdays', () => {
    expect(working('2026-02-13')).toBe(true); // Friday
    expect(working('2026-02-14')).toBe(true); // Saturday, make-up
    for (const d of ['2026-02-15', '2026-02-16', '2026-02-20', '2026-02-23']) expect(working(d)).toBe(false);
    expect(working('2026-02-24')).toBe(true);
    expect(working('2026-02-28')).toBe(true); // Saturday, make-up
    expect(working('2026-03-01')).toBe(false); // an ordinary Sunday
  });

  it('takes New Year and National Day off and works 4 January (Sunday) and 10 October (Saturday)', () => {
    expect(['2026-01-01', '2026-01-02', '2026-01-03'].map((d) => working(d))).toEqual([false, false, false]);
    expect(working('2026-01-04')).toBe(true);
    expect(working('2026-10-01')).toBe(false);
    expect(working('2026-10-07')).toBe(false);
    expect(working('2026-10-08')).toBe(true);
    expect(working('2026-10-10')).toBe(true);
    expect(working('2026-10-11')).toBe(false);
  });

  it('counts a year without a calendar by weekends only', () => {
    expect(working('2027-01-01')).toBe(true); // a Friday: surely a holiday, but no notice is entered
    expect(working('2027-01-02')).toBe(false);
    expect(isWorkingDay('2027-01-01', [])).toBe(true);
    // Without any calendar, 2026's make-up Saturday is an ordinary Saturday.
    expect(isWorkingDay('2026-02-14', [])).toBe(false);
  });

  it('lets a town close days, make-up days included', () => {
    const closures: TownClosure[] = [
      { from: '2026-07-14', to: '2026-07-15', reason: '台风' },
      { from: '2026-02-28', reason: '镇换届选举' },
    ];
    expect(working('2026-07-14', closures)).toBe(false);
    expect(working('2026-07-15', closures)).toBe(false);
    expect(working('2026-07-16', closures)).toBe(true);
    expect(working('2026-02-28', closures)).toBe(false);
    expect(working('2026-02-28')).toBe(true);
  });

  it('names the years counted without a calendar', () => {
    expect(yearsWithoutCalendar('2026-12-20', '2027-01-10', cals)).toEqual([2027]);
    expect(yearsWithoutCalendar('2025-12-30', '2028-01-02', cals)).toEqual([2025, 2027, 2028]);
    expect(yearsWithoutCalendar('2026-01-01', '2026-12-31', cals)).toEqual([]);
  });

  it('has a working day of 7.5 hours', () => {
    expect(WORKING_DAY_MS).toBe(7.5 * 3_600_000);
  });
});

describe('a year calendar as county IT enters it', () => {
  const y2027: YearCalendar = {
    year: 2027,
    source: 'test notice',
    holidays: [
      { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
      { name: '春节', from: '2027-02-06', to: '2027-02-14' },
    ],
    makeUpWorkdays: ['2027-02-20'],
  };
  const withChange = (over: Partial<YearCalendar>) => refusal(() => validateYearCalendar({ ...y2027, ...over }));

  it('accepts a sound one', () => {
    expect(withChange({})).toBe('none');
  });

  it('refuses dates outside the year, but lets a New Year holiday begin in late December', () => {
    expect(withChange({ holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-07' }] })).toEqual({
      code: 'calendar.outside_year',
      field: 'body.holidays.0.from',
    });
    expect(withChange({ holidays: [{ name: '元旦', from: '2027-12-31', to: '2028-01-01' }] })).toEqual({
      code: 'calendar.outside_year',
      field: 'body.holidays.0.to',
    });
    expect(withChange({ makeUpWorkdays: ['2027-02-20', '2028-01-08'] })).toEqual({
      code: 'calendar.outside_year',
      field: 'body.makeUpWorkdays.1',
    });
    // As the 2023 notice did: 2022-12-31 to 2023-01-02 off.
    expect(withChange({ holidays: [{ name: '元旦', from: '2026-12-31', to: '2027-01-02' }] })).toBe('none');
    expect(withChange({ makeUpWorkdays: ['2026-12-26'] })).toBe('none');
    expect(withChange({ makeUpWorkdays: ['2026-12-20'] })).toEqual({ code: 'calendar.outside_year', field: 'body.makeUpWorkdays.0' });
  });

  it('refuses a holiday that ends before it begins, or lasts beyond two weeks', () => {
    expect(withChange({ holidays: [{ name: '春节', from: '2027-02-14', to: '2027-02-06' }] })).toEqual({
      code: 'calendar.range_reversed',
      field: 'body.holidays.0.to',
    });
    // 2027-12-14 for 2027-02-14: a slip that would stop every deadline for ten months.
    expect(withChange({ holidays: [{ name: '春节', from: '2027-02-06', to: '2027-12-14' }] })).toEqual({
      code: 'calendar.holiday_too_long',
      field: 'body.holidays.0.to',
    });
  });

  it('refuses overlapping holidays, naming the later one', () => {
    expect(
      withChange({
        holidays: [
          { name: '国庆节', from: '2027-10-01', to: '2027-10-07' },
          { name: '中秋节', from: '2027-09-25', to: '2027-10-01' },
          { name: '春节', from: '2027-02-06', to: '2027-02-14' },
        ],
      }),
    ).toEqual({ code: 'calendar.holidays_overlap', field: 'body.holidays.0.from' });
  });

  it('refuses a make-up day on a weekday, inside a holiday, or listed twice', () => {
    expect(withChange({ makeUpWorkdays: ['2027-02-19'] })).toEqual({ code: 'calendar.makeup_not_weekend', field: 'body.makeUpWorkdays.0' });
    expect(withChange({ makeUpWorkdays: ['2027-02-13'] })).toEqual({ code: 'calendar.makeup_in_holiday', field: 'body.makeUpWorkdays.0' });
    expect(withChange({ makeUpWorkdays: ['2027-02-20', '2027-02-20'] })).toEqual({
      code: 'calendar.duplicate_day',
      field: 'body.makeUpWorkdays.1',
    });
  });

  it('refuses a shape that is not a calendar', () => {
    expect(z.safeParse(yearCalendarSchema, { ...y2027, year: 1999 }).success).toBe(false);
    expect(z.safeParse(yearCalendarSchema, { ...y2027, holidays: [{ name: '春节', from: '2027-02-30', to: '2027-03-01' }] }).success).toBe(
      false,
    );
    expect(z.safeParse(yearCalendarSchema, { ...y2027, extra: 1 }).success).toBe(false);
  });
});

describe("a town's closures", () => {
  it('are one day or a range of at most 31 days, with a reason', () => {
    expect(z.safeParse(townClosuresBodySchema, { closures: [{ from: '2026-07-14', reason: '台风' }] }).success).toBe(true);
    expect(z.safeParse(townClosuresBodySchema, { closures: [{ from: '2026-07-14' }] }).success).toBe(false);
    expect(refusal(() => validateTownClosures([{ from: '2026-07-14', to: '2026-08-13', reason: 'x' }]))).toBe('none');
    expect(refusal(() => validateTownClosures([{ from: '2026-07-14', to: '2026-08-14', reason: 'x' }]))).toEqual({
      code: 'closure.too_long',
      field: 'body.closures.0.to',
    });
    expect(
      refusal(() =>
        validateTownClosures([
          { from: '2026-07-14', reason: 'x' },
          { from: '2026-07-14', to: '2026-07-13', reason: 'y' },
        ]),
      ),
    ).toEqual({ code: 'closure.range_reversed', field: 'body.closures.1.to' });
  });
});
