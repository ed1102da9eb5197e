import { type AppError, CN_2026, isWorkingDay, type YearCalendar } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { platformKeys, townKeys, townPrefix } from '../keys';
import { getItem, queryAll } from '../ops';
import { runInScope } from '../scope';
import { provisionTown } from '../towns';
import { copyToTowns, countyCalendars, townCalendarOf, workCalendarOf } from './index';

const NOW = '2026-12-05T02:00:00.000Z';
const spec = (name: string, username: string) => ({ name, kind: 'town' as const, admin: { username, displayName: '管理员' } });
const y2027: YearCalendar = {
  year: 2027,
  source: 'test notice',
  holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
  makeUpWorkdays: ['2027-01-09'],
};
/** Runs as a request of one town: the tenancy guard refuses any key outside `T#<town>#`. */
const asTown = <T>(townId: string, fn: () => Promise<T>) =>
  runInScope({ requestId: `test-${townId}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, fn);
/** Runs as a county request, under the platform prefix only (saving acts for each town, visibly). */
const asCounty = <T>(fn: () => Promise<T>) => runInScope({ requestId: 'test-county', tenant: 'county', allowedPrefixes: ['P#'] }, fn);

describe('the working-day calendar on DynamoDB Local', () => {
  it('copies a saved year into every town, which reads it under its own prefix only', async () => {
    await provisionTown('donghu', spec('东湖镇', 'donghu.admin'), 'c', NOW);
    await provisionTown('nanhu', spec('南湖镇', 'nanhu.admin'), 'c', NOW);
    const before = await asTown('donghu', () => workCalendarOf('donghu'));
    expect(before.calendars.map((c) => c.year)).toEqual([2026]);
    expect(isWorkingDay('2027-01-01', before.calendars)).toBe(true);

    const saved = await asCounty(() => countyCalendars.save(2027, { ...y2027, version: 0 }, 'county.admin', NOW));
    expect(saved).toMatchObject({ origin: 'county', version: 1 });
    for (const t of ['donghu', 'nanhu']) {
      const cal = await asTown(t, () => workCalendarOf(t));
      expect(cal.calendars.map((c) => c.year)).toEqual([2026, 2027]);
      expect(isWorkingDay('2027-01-01', cal.calendars)).toBe(false);
      expect(isWorkingDay('2027-01-09', cal.calendars)).toBe(true);
    }
    const copy = await getItem<{ version: number; type: string }>(townKeys('nanhu').calendarCopy(2027), { consistent: true });
    expect(copy).toMatchObject({ version: 1, type: 'CalendarCopy' });

    // The save is in the county audit with the version it replaced; a second save at version 0 is refused.
    const again = await asCounty(() =>
      countyCalendars.save(2027, { ...y2027, makeUpWorkdays: [], version: 1 }, 'county.admin', '2026-12-05T03:00:00.000Z'),
    );
    expect(again.version).toBe(2);
    const audit = await queryAll<{ action: string; details: { previousVersion: number; previous?: YearCalendar } }>(
      platformKeys.audit('2026-12-05T03:00:00.000Z', 'x').pk,
    );
    const last = audit.filter((a) => a.action === 'calendar.save').at(-1);
    expect(last?.details).toMatchObject({ previousVersion: 1, previous: { makeUpWorkdays: ['2027-01-09'] } });
    await expect(countyCalendars.save(2027, { ...y2027, version: 1 }, 'county.admin', NOW)).rejects.toMatchObject({ status: 409 });

    // The first save's copies landing late (a slow request) leave the second save's copies in place.
    await copyToTowns([{ year: 2027, calendar: y2027, version: 1, savedAt: NOW, savedBy: 'county.admin' }], ['nanhu']);
    const kept = await getItem<{ version: number; calendar: YearCalendar }>(townKeys('nanhu').calendarCopy(2027), { consistent: true });
    expect(kept).toMatchObject({ version: 2, calendar: { makeUpWorkdays: [] } });
  });

  it('lets a shipped year be corrected: the entered one wins', async () => {
    await provisionTown('beihu', spec('北湖镇', 'beihu.admin'), 'c', NOW);
    const corrected = { ...CN_2026, note: '更正', version: 0 };
    await countyCalendars.save(2026, corrected, 'county.admin', NOW);
    const list = await countyCalendars.list();
    expect(list.years.find((y) => y.year === 2026)).toMatchObject({ origin: 'county', version: 1 });
    const cal = await asTown('beihu', () => workCalendarOf('beihu'));
    expect(cal.calendars.filter((c) => c.year === 2026)).toEqual([{ ...CN_2026, note: '更正' }]);
  });

  it('gives a new town the years entered, and keeps closures per town at their version', async () => {
    await provisionTown('xihu', spec('西湖镇', 'xihu.admin'), 'c', NOW);
    const cal = await asTown('xihu', () => workCalendarOf('xihu'));
    expect(cal.calendars.map((c) => c.year)).toEqual([2026, 2027]);

    const closures = [{ from: '2027-03-02', reason: '台风' }];
    const saved = await asTown('xihu', () => townCalendarOf('xihu').saveClosures({ version: 0, closures }, 'xihu.admin', NOW));
    expect(saved).toMatchObject({ version: 1, closures });
    const err = await asTown('xihu', () => townCalendarOf('xihu').saveClosures({ version: 0, closures: [] }, 'xihu.admin', NOW)).catch(
      (e: AppError) => e,
    );
    expect((err as AppError).code).toBe('conflict.version');
    expect((await asTown('xihu', () => workCalendarOf('xihu'))).closures).toEqual(closures);
    expect((await asTown('donghu', () => workCalendarOf('donghu'))).closures).toEqual([]);
    const year = await asTown('xihu', () => townCalendarOf('xihu').year(2028));
    expect(year).toMatchObject({ hasCalendar: false, holidays: [], closures: [] });
  });
});
