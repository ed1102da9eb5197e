import { getItem, runInScope, townKeys, townPrefix } from '@gridline/data';
import { scanAll } from '@gridline/data/admin';
import { recountTown } from '@gridline/data/recount';
import { readRollup, runRollup } from '@gridline/data/rollup';
import { coverageOf } from '@gridline/data/visits/coverage';
import { dueEntriesOf } from '@gridline/data/visits/reminders';
import { periodContaining, visitDay } from '@gridline/domain';
import { LocalDirectory } from '@gridline/identity';
import { type DemoVisits, seedDemoCounty, seedDemoResidents, seedDemoVisits } from '@gridline/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { recountMetrics } from '../support/recount';

// What a first start does, against this file's table: the county, its residents, then five weeks of
// household visits recorded by the coordinators and the 07:00 run (seed-visits.ts).
const now = new Date().toISOString();
const today = visitDay(now);
const directory = new LocalDirectory();
let seeded: DemoVisits[];
beforeAll(async () => {
  await seedDemoCounty(directory, now);
  const residents = await seedDemoResidents(directory, { now, log: () => {} });
  seeded = [];
  for (const r of residents) seeded.push(await seedDemoVisits(r.townId, now));
}, 600_000);

const inTown = <T>(townId: string, fn: () => Promise<T>) =>
  runInScope({ requestId: `check-${townId}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, fn);
const admin = (townId: string) => ({
  kind: 'town' as const,
  townId,
  userId: `${townId}.admin`,
  username: `${townId}.admin`,
  role: 'town_admin' as const,
  scope: { communities: [], grids: [] },
});

describe('the demo county’s household visits', () => {
  it('give every household a state, weeks of visits, some households overdue and most covered', async () => {
    const items = await scanAll();
    for (const s of seeded) {
      const mine = items.filter((i) => String(i.pk).startsWith(townPrefix(s.townId)));
      const households = mine.filter((i) => i.type === 'Household' && i.status === 'active').length;
      const visits = mine.filter((i) => i.type === 'Visit');
      expect([s.townId, s.households]).toEqual([s.townId, households]);
      expect(visits).toHaveLength(s.visits);
      // Five weeks of them, none in the future, by the grids' own coordinators.
      const days = new Set(visits.map((v) => String(v.on)));
      expect(days.size).toBeGreaterThan(20);
      expect([...days].every((d) => d < today)).toBe(true);
      expect(visits.every((v) => String(v.by).startsWith(`${s.townId}.grid`))).toBe(true);

      const coverage = await inTown(s.townId, () => coverageOf(admin(s.townId)).coverage({}, now));
      expect(coverage.town).toMatchObject({ households, overdue: s.overdue });
      expect(s.overdue).toBeGreaterThan(0);
      expect(coverage.town.share).toBeGreaterThan(0.75);
      expect(coverage.town.share).toBeLessThan(1);
      expect(coverage.rows.reduce((n, r) => n + r.households, 0)).toBe(households);
    }
  });

  it('leave due lists a coordinator would recognise: the overdue first, then today, the rest later', async () => {
    const k = townKeys('qingshi');
    const dues = await inTown('qingshi', () => dueEntriesOf('qingshi', 'qs-g1', '9999-12-31'));
    expect(dues.length).toBeGreaterThan(10);
    const order = dues.map((d) => String(d.gsi2sk));
    expect(order).toEqual([...order].sort());
    const overdue = dues.filter((d) => String(d.due) < today);
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((d) => d.overdue === true)).toBe(true);
    expect(dues.filter((d) => String(d.due) >= today).every((d) => d.overdue === false)).toBe(true);
    // Special groups are on shorter cycles, and their visits show it.
    expect(dues.some((d) => Number(d.cycleDays) < 30)).toBe(true);
    const reminder = await inTown('qingshi', () => getItem<Record<string, unknown>>(k.visitReminder('qingshi.grid1')));
    expect(reminder).toMatchObject({ on: today, overdue: overdue.length, dueToday: dues.filter((d) => d.due === today).length });
  });

  it('keep every counter equal to a recount of the records, and roll up as one', async () => {
    for (const s of seeded) expect([s.townId, (await inTown(s.townId, () => recountTown(s.townId))).drift]).toEqual([s.townId, []]);
    for (const period of [periodContaining(now, 'month'), periodContaining(now, 'quarter')]) {
      const result = await runRollup(period, { now });
      expect(result.failed).toEqual([]);
      const view = await readRollup(period);
      for (const s of seeded)
        expect([period, s.townId, view?.towns.find((t) => t.townId === s.townId)?.metrics]).toEqual([
          period,
          s.townId,
          await recountMetrics(s.townId, period),
        ]);
    }
  });
});
