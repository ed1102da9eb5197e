import type { YearCalendar } from './api';

/**
 * The 2026 calendar, from the State Council General Office's notice of 2025-11-04: the days off are the
 * holidays below plus ordinary weekends; the make-up working days (调休上班) are weekend days worked.
 * Later years are entered by county IT in the calendar editor when their notice is published.
 */
export const CN_2026: YearCalendar = {
  year: 2026,
  source: 'State Council General Office notice on the 2026 public holidays, dated 2025-11-04',
  holidays: [
    { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
    { name: '春节', from: '2026-02-15', to: '2026-02-23' },
    { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
    { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
    { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
    { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
    { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
  ],
  makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

/** The calendars the product ships with; the ones county IT enters are kept beside them. */
export const SHIPPED_CALENDARS: readonly YearCalendar[] = [CN_2026];
