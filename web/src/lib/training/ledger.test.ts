import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingServer } from '../testing/recording-server';
import { training } from './api';
import { attendanceBody, attendanceRows, bars, hoursOk, yearOf } from './ledger';

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe('the training API module sends each action to its route', () => {
  it('year, course, create, change, attendance, export, person', async () => {
    const seen = recordingServer();
    await training.year(2026);
    await training.course('k 1');
    await training.create({ title: '调解', on: '2026-05-01', hours: 2, trainer: '所' });
    await training.change('k1', { version: 1, hours: 3 });
    await training.attendance('k1', 2, [{ coordinatorId: 'p1', attended: true, result: 'passed' }]);
    await training.exportYear(2026);
    await training.person('p1', 2026);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /town/training/2026',
      'GET /town/training/courses/k%201',
      'POST /town/training/courses',
      'PATCH /town/training/courses/k1',
      'PUT /town/training/courses/k1/attendance',
      'GET /town/training/2026/export',
      'GET /town/team/p1/training/2026',
    ]);
    expect(seen[4]?.body).toEqual({ version: 2, attendance: [{ coordinatorId: 'p1', attended: true, result: 'passed' }] });
  });
});

describe('the training pages’ helpers', () => {
  it('shows the year asked for when plausible, else this year', () => {
    expect(yearOf('2025', '2026-12-05')).toBe(2025);
    expect(yearOf(null, '2026-12-05')).toBe(2026);
    expect(yearOf('1999', '2026-12-05')).toBe(2026);
    expect(yearOf('2028', '2026-12-05')).toBe(2026);
    expect(yearOf('20x6', '2026-12-05')).toBe(2026);
  });
  it('draws bars as shares of the longest, a sliver for a little, none for nothing', () => {
    expect(bars([{ hours: 10 }, { hours: 5 }, { hours: 0.1 }, { hours: 0 }]).map((b) => b.width)).toEqual([100, 50, 2, 0]);
    expect(bars([{ hours: 0 }]).map((b) => b.width)).toEqual([0]);
  });
  it('takes hours in half hours only', () => {
    expect(['1', '1.5', '0.5', '200'].map(hoursOk)).toEqual([true, true, true, true]);
    expect(['', '0', '1.25', '201', 'x'].map(hoursOk)).toEqual([false, false, false, false, false]);
  });
  it('lists the recorded people first, offers the rest of the team but the rejected, and sends the listed ones', () => {
    const rows = attendanceRows(
      [{ coordinatorId: 'a', name: '甲', attended: false, result: 'none', note: '病假' }],
      [
        { coordinatorId: 'a', name: '甲', stage: 'appointed' },
        { coordinatorId: 'b', name: '乙', stage: 'trained' },
        { coordinatorId: 'r', name: '丙', stage: 'rejected' },
      ],
    );
    expect(rows.map((r) => [r.coordinatorId, r.listed])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    const b = rows[1] as (typeof rows)[number];
    b.listed = true;
    b.result = 'passed';
    // Someone absent is sent without a result, whatever the form held.
    const a = rows[0] as (typeof rows)[number];
    a.result = 'passed';
    expect(attendanceBody(rows)).toEqual([
      { coordinatorId: 'a', attended: false, result: 'none', note: '病假' },
      { coordinatorId: 'b', attended: true, result: 'passed' },
    ]);
  });
});
