import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingServer } from '../testing/recording-server';
import { calendars } from './api';
import { dayKinds, yearGrid, yearParam } from './grid';

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe('the calendar API module sends each action to its route', () => {
  it('list, get, save, a town year, closures and their save', async () => {
    const seen = recordingServer();
    await calendars.list();
    await calendars.get(2027);
    await calendars.save({ year: 2027, source: 'n', holidays: [], makeUpWorkdays: [] }, 0);
    await calendars.townYear(2027);
    await calendars.closures();
    await calendars.saveClosures([{ from: '2027-07-14', reason: '台风' }], 3);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /admin/calendars',
      'GET /admin/calendars/2027',
      'PUT /admin/calendars/2027',
      'GET /town/calendar?year=2027',
      'GET /town/closures',
      'PUT /town/closures',
    ]);
    expect(seen[2]?.body).toMatchObject({ year: 2027, version: 0 });
    expect(seen[5]?.body).toEqual({ closures: [{ from: '2027-07-14', reason: '台风' }], version: 3 });
  });
});

const marks = {
  holidays: [{ name: '春节', from: '2027-02-06', to: '2027-02-14' }],
  makeUpWorkdays: ['2027-02-20'],
  closures: [
    { from: '2027-02-14', reason: '台风' },
    { from: '2027-07-14', to: '2027-07-15', reason: '停电' },
  ],
};

describe('the month grid', () => {
  it('marks holidays, make-up days, closures and weekends, a closure winning', () => {
    const kind = dayKinds(marks);
    expect(kind('2027-02-08')).toEqual({ kind: 'holiday', label: '春节' });
    expect(kind('2027-02-14')).toEqual({ kind: 'closed', label: '台风' });
    expect(kind('2027-02-20').kind).toBe('makeup');
    expect(kind('2027-02-21').kind).toBe('weekend');
    expect(kind('2027-02-22').kind).toBe('work');
    expect(kind('2027-07-15').kind).toBe('closed');
  });

  it('lays out twelve months from Monday, padding the weeks', () => {
    const months = yearGrid(2027, marks);
    expect(months).toHaveLength(12);
    // 1 February 2027 is a Monday; 1 January 2027 a Friday.
    expect(months[1]?.weeks[0]?.[0]).toMatchObject({ date: '2027-02-01', day: 1 });
    expect(months[0]?.weeks[0]?.slice(0, 4)).toEqual([null, null, null, null]);
    expect(months.every((m) => m.weeks.every((w) => w.length === 7))).toBe(true);
    expect(months[1]?.weeks.flat().filter(Boolean)).toHaveLength(28);
  });

  it('ignores half-typed ranges while the editor is filled in', () => {
    const kind = dayKinds({ holidays: [{ name: 'x', from: '2027-02-10', to: '' }], makeUpWorkdays: [] });
    expect(kind('2027-02-10').kind).toBe('work');
  });

  it('reads the year from the address', () => {
    expect(yearParam('2027', 2026)).toBe(2027);
    expect(yearParam('1999', 2026)).toBe(2026);
    expect(yearParam('abc', 2026)).toBe(2026);
    expect(yearParam(null, 2026)).toBe(2026);
  });
});
