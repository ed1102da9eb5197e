import { forTown, getItem, runInScope, townKeys, townPrefix } from '@gridline/data';
import { orgOf } from '@gridline/data/org';
import { recountTown } from '@gridline/data/recount';
import { readRollup, runRollup } from '@gridline/data/rollup';
import { scanAll } from '@gridline/data/admin';
import { LocalDirectory } from '@gridline/identity';
import { DEMO_BOOK_SIZES, type DemoResidents, demoBook, seedDemoCounty, seedDemoResidents } from '@gridline/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { recountMetrics } from '../support/recount';

// What `npm start` does on a first start, against this file's table: the county, then its residents.
const now = '2026-11-01T02:00:00.000Z';
const directory = new LocalDirectory();
const lines: string[] = [];
let seeded: DemoResidents[];
beforeAll(async () => {
  await seedDemoCounty(directory, now);
  seeded = await seedDemoResidents(directory, { now, log: (l) => lines.push(l) });
});

const inTown = <T>(townId: string, fn: () => Promise<T>) =>
  runInScope({ requestId: `check-${townId}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, fn);
const generated = (townId: string) => {
  const people = demoBook(townId, { today: '2026-11-01' });
  return {
    people: people.length,
    households: new Set(people.map((p) => p.householdNo)).size,
    floating: people.filter((p) => p.residenceType === 'floating').length,
    special: people.filter((p) => p.tags.length > 0).length,
  };
};

describe('the demo residents of a first start', () => {
  it('are the 400-person sample in qingshi and the generated books elsewhere, reported one line per town', () => {
    expect(seeded.map((s) => [s.townId, s.source, s.people, s.households])).toEqual([
      ['qingshi', 'sample', 400, 131],
      ['taoyuan', 'generated', DEMO_BOOK_SIZES.taoyuan, generated('taoyuan').households],
      ['baisha', 'generated', DEMO_BOOK_SIZES.baisha, generated('baisha').households],
    ]);
    for (const townId of ['taoyuan', 'baisha']) expect(seeded.find((s) => s.townId === townId)).toMatchObject(generated(townId));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('青石镇 qingshi: 400 people in 131 households');
    expect(lines[1]).toContain(`桃源街道 taoyuan: ${DEMO_BOOK_SIZES.taoyuan} people in ${generated('taoyuan').households} households`);
  });

  it('leave every counter equal to a recount of the records: zero drift', async () => {
    for (const s of seeded) {
      const recount = await inTown(s.townId, () => recountTown(s.townId));
      expect([s.townId, recount.drift]).toEqual([s.townId, []]);
      expect([recount.people, recount.households]).toEqual([s.people, s.households]);
    }
  });

  it('came through the real import: encrypted IDs, audited commits, every grid on the map populated', async () => {
    const items = await scanAll();
    for (const s of seeded) {
      const mine = items.filter((i) => String(i.pk).startsWith(townPrefix(s.townId)));
      const people = mine.filter((i) => i.type === 'Person');
      expect(people).toHaveLength(s.people);
      expect(people.every((p) => typeof p.idEnc === 'string' && typeof p.idHash === 'string')).toBe(true);
      expect(JSON.stringify(people)).not.toMatch(/\d{17}[\dX]/);
      expect(mine.filter((i) => i.action === 'import.commit')).toHaveLength(1);
      const map = await inTown(s.townId, () => forTown(s.townId).populationMap());
      expect(map.grids.every((g) => g.people > 0)).toBe(true);
      expect(map.grids.reduce((n, g) => n + g.people, 0)).toBe(s.people);
    }
  });

  it('roll up for the county exactly as an independent recount of the records counts them', async () => {
    // Arrivals are spread over the last eleven months: this year's quarters and a month, each against the records.
    let arrivals = 0;
    for (const period of ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', '2026-11']) {
      const result = await runRollup(period, { now });
      expect([period, result.failed]).toEqual([period, []]);
      const view = await readRollup(period);
      const total: Record<string, number> = {};
      for (const s of seeded) {
        const expected = await recountMetrics(s.townId, period);
        expect([period, s.townId, view?.towns.find((t) => t.townId === s.townId)?.metrics]).toEqual([period, s.townId, expected]);
        for (const [m, v] of Object.entries(expected)) total[m] = (total[m] ?? 0) + v;
      }
      expect([period, view?.county.metrics]).toEqual([period, total]);
      if (period.includes('Q')) arrivals += total.arrivals ?? 0;
    }
    // The books do bring arrivals: the check above is not comparing zeros with zeros.
    expect(arrivals).toBeGreaterThan(0);
  });

  it('stop loudly, with the import’s reasons, when a book has a refused row', async () => {
    // 花溪网格 renamed (to a name more than one character away, or it would be a near-miss): the generated book's rows for it no longer find their grid.
    await inTown('taoyuan', async () => {
      const grid = await getItem<{ version: number }>(townKeys('taoyuan').grid('hx-g1'), { consistent: true });
      await orgOf('taoyuan').changeGrid('hx-g1', grid?.version ?? 0, { name: '月湖网格' }, 'taoyuan.admin', now);
    });
    const run = seedDemoResidents(directory, { now, log: () => {} });
    await expect(run).rejects.toThrow(/taoyuan has refused rows:\n\s+row \d+ \(grid\): import\.grid_unknown/);
    // Nothing was committed for the refused book, and qingshi's second pass changed nothing.
    const recount = await inTown('taoyuan', () => recountTown('taoyuan'));
    expect(recount.people).toBe(DEMO_BOOK_SIZES.taoyuan);
    expect((await inTown('qingshi', () => recountTown('qingshi'))).people).toBe(400);
  });
});
