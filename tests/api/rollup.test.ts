import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT, runCli } from '@gridline/cli';
import { type CommandObservation, observeCommands } from '@gridline/data';
import { presentCell, runRollup } from '@gridline/data/rollup';
import { scanAll } from '@gridline/data/admin';
import { METRICS } from '@gridline/domain';
import { boundRoutes } from '@gridline/functions';
import { jobs } from '@gridline/functions/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recountMetrics as recount } from '../support/recount';
import { startTestStack, type TestStack } from '../support/stack';

// Files go to a folder of this test file's own (the reports store reads the variable once).
const reportsDir = mkdtempSync(join(tmpdir(), 'gridline-rollups-'));
process.env.GRIDLINE_REPORTS_DIR = reportsDir;

const fixtures = resolve(import.meta.dirname, '../../packages/book/fixtures');
const PERIOD = '2026-11';
const NOW = '2026-12-01T01:00:00.000Z';

let stack: TestStack;
let county: string;
let admin: string;

type Json = Record<string, unknown>;
type Row = {
  townId: string | null;
  status: string;
  metrics: Record<string, number | string> | null;
  change: Record<string, number> | null;
};
type View = { period: string; computedAt: string; complete: boolean; county: Row; towns: Row[]; failed: unknown[] };

async function importSample() {
  const bytes = readFileSync(join(fixtures, 'book.csv'));
  const p = await stack.call('POST', '/town/imports', {
    token: admin,
    body: { fileName: 'book.csv', contentBase64: bytes.toString('base64') },
  });
  expect(p.status, p.text).toBe(201);
  const id = (p.body as Json).importId as string;
  expect((await stack.call('POST', `/town/imports/${id}/commit`, { token: admin })).status).toBe(202);
  for (let i = 0; i < 600; i++) {
    const s = (await stack.call('GET', `/town/imports/${id}`, { token: admin })).body as Json;
    if (s.status === 'done') return;
    if (s.status === 'failed') throw new Error('import failed');
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error('import did not finish');
}

/** Moves a few people through the API: arrivals and departures in the period (and one outside it). */
async function moveSome() {
  const people = (await scanAll()).filter((i) => i.type === 'Person' && String(i.pk).startsWith('T#qingshi#') && i.status === 'active');
  const move = async (p: Json, kind: string, on: string) => {
    const [, , , gridId] = String(p.pk).split('#');
    const r = await stack.call('POST', `/town/grids/${gridId}/households/${p.householdId}/people/${p.personId}/moves`, {
      token: admin,
      body: { version: p.version, kind, on },
    });
    expect(r.status, r.text).toBe(200);
  };
  await move(people[0] as Json, 'arrival', '2026-11-03');
  await move(people[1] as Json, 'arrival', '2026-11-20');
  await move(people[2] as Json, 'arrival', '2026-10-20');
  await move(people[3] as Json, 'departure', '2026-11-21');
}

const show = async (period: string) => (await stack.call('GET', '/admin/rollups', { token: county, query: { period } })).body as View;
const file = async (period: string, format: string) => {
  const r = await stack.call('GET', `/admin/rollups/${period}/file`, { token: county, query: { format } });
  expect(r.status, r.text).toBe(200);
  return Buffer.from((r.body as Json).contentBase64 as string, 'base64');
};
const withoutTime = (json: Buffer) => {
  const v = JSON.parse(json.toString('utf8')) as Json;
  delete v.computedAt;
  return v;
};

beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  county = await stack.token('county.admin');
  admin = await stack.token('qingshi.admin');
  await importSample();
  await moveSome();
});
afterAll(() => stack.close());

describe('county rollups', () => {
  it('schedules the daily, monthly and quarterly rollups in the job table (Asia/Shanghai, 01:00)', () => {
    const byName = Object.fromEntries(jobs.map((j) => [j.name, j]));
    expect(byName['rollup-daily']).toMatchObject({ cron: '0 1 * * ? *', timezone: 'Asia/Shanghai' });
    expect(byName['rollup-monthly']).toMatchObject({ cron: '0 1 1 * ? *', timezone: 'Asia/Shanghai' });
    expect(byName['rollup-quarterly']).toMatchObject({ cron: '0 1 1 1,4,7,10 ? *', timezone: 'Asia/Shanghai' });
  });

  it('computes every metric of every town as an independent recount, and the county as their sum', async () => {
    const run = await stack.call('POST', '/admin/rollups/run', { token: county, body: { period: PERIOD } });
    expect(run.status, run.text).toBe(200);
    expect(run.body).toMatchObject({ period: PERIOD, towns: 3, failed: [] });
    const view = await show(PERIOD);
    expect(view.complete).toBe(true);
    expect(view.towns.map((t) => t.townId)).toEqual(['baisha', 'qingshi', 'taoyuan']);
    const sum: Record<string, number> = Object.fromEntries(METRICS.map((m) => [m.id, 0]));
    for (const t of view.towns) {
      const expected = await recount(String(t.townId), PERIOD);
      expect([t.townId, t.metrics]).toEqual([t.townId, expected]);
      for (const m of METRICS) sum[m.id] = (sum[m.id] ?? 0) + (expected[m.id] ?? 0);
    }
    expect(view.county.metrics).toEqual(sum);
    const qingshi = view.towns.find((t) => t.townId === 'qingshi');
    // Non-trivial: the sample book, two arrivals and one departure in November.
    expect(qingshi?.metrics).toMatchObject({ people: 399, arrivals: 2, departures: 1 });
    expect(Number(qingshi?.metrics?.special)).toBeGreaterThan(0);
    // The quarter adds October's arrival.
    await stack.call('POST', '/admin/rollups/run', { token: county, body: { period: '2026-Q4' } });
    expect((await show('2026-Q4')).towns.find((t) => t.townId === 'qingshi')?.metrics).toMatchObject({ arrivals: 3, departures: 1 });
  });

  it('reads O(towns) counter items, never a resident', async () => {
    const seen: CommandObservation[] = [];
    const stop = observeCommands((o) => seen.push(o));
    const r = await runRollup(PERIOD, { now: NOW });
    stop();
    const reads = seen.filter((o) => ['GetItem', 'Query', 'BatchGetItem', 'Scan'].includes(o.operation));
    expect(reads.some((o) => o.operation === 'Scan')).toBe(false);
    // Towns listing (1 Query) + previous rollup (1 Query) + one BatchGetItem per town + the view for the files (1 Query).
    expect(reads).toHaveLength(3 + r.towns);
    expect(reads.flatMap((o) => o.partitionKeys).filter((k) => /#(PPL|HH|RES|TAG|KTAG|NAME)#/.test(k))).toEqual([]);
    expect(r.consumed.calls).toBeGreaterThan(0);
  });

  it('re-runs byte-identically apart from the JSON timestamp, and shows the change against the previous month', async () => {
    const before = { csv: await file(PERIOD, 'csv'), xlsx: await file(PERIOD, 'xlsx'), json: await file(PERIOD, 'json') };
    expect(before.csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    await runRollup(PERIOD, { now: '2026-12-02T05:00:00.000Z' });
    expect((await file(PERIOD, 'csv')).equals(before.csv)).toBe(true);
    expect((await file(PERIOD, 'xlsx')).equals(before.xlsx)).toBe(true);
    expect(withoutTime(await file(PERIOD, 'json'))).toEqual(withoutTime(before.json));
    // The stored files are the route's bytes.
    expect(readFileSync(join(reportsDir, 'rollups', PERIOD, 'county.csv')).equals(before.csv)).toBe(true);
    expect(readFileSync(join(reportsDir, 'rollups', PERIOD, 'county.xlsx')).equals(before.xlsx)).toBe(true);

    expect((await show(PERIOD)).county.change).toBeNull();
    await runRollup('2026-10', { now: NOW });
    await runRollup(PERIOD, { now: NOW });
    const v = await show(PERIOD);
    const oct = await show('2026-10');
    expect(v.county.change?.arrivals).toBe(Number(v.county.metrics?.arrivals) - Number(oct.county.metrics?.arrivals));
    expect(v.county.change?.people).toBe(0);
    const trend = await stack.call('GET', '/admin/rollups/trend', {
      token: county,
      query: { metric: 'arrivals', kind: 'month', to: PERIOD },
    });
    expect(trend.status, trend.text).toBe(200);
    const points = (trend.body as { points: Array<{ period: string; county: number | null }> }).points;
    expect(points).toHaveLength(12);
    expect(points.slice(-2)).toEqual([
      expect.objectContaining({ period: '2026-10', county: 1 }),
      expect.objectContaining({ period: '2026-11', county: 2 }),
    ]);
    expect(points[0]).toMatchObject({ period: '2025-12', county: null });
  });

  it('retries a failing town once, reports it without stopping the others, and a re-run completes the period', async () => {
    const period = '2026-09';
    let flaky = 0;
    const once = await runRollup(period, {
      now: NOW,
      readCounters: async (townId, keys) => {
        if (townId === 'taoyuan' && flaky++ === 0) throw new Error('throttled once');
        const { batchGetAll } = await import('@gridline/data');
        return batchGetAll(keys);
      },
    });
    expect(once.failed).toEqual([]);
    expect(flaky).toBe(2);

    const broken = await runRollup(period, {
      now: NOW,
      readCounters: async (townId, keys) => {
        if (townId === 'taoyuan') throw new Error('counters unreadable');
        const { batchGetAll } = await import('@gridline/data');
        return batchGetAll(keys);
      },
    });
    expect(broken.failed).toEqual([{ townId: 'taoyuan', error: 'counters unreadable' }]);
    expect(broken.ok).toEqual(['baisha', 'qingshi']);
    const partial = await show(period);
    expect(partial.complete).toBe(false);
    expect(partial.towns.find((t) => t.townId === 'taoyuan')).toMatchObject({ status: 'failed', metrics: null });

    await runRollup(period, { now: NOW });
    const healed = await show(period);
    expect(healed.complete).toBe(true);
    expect(healed.towns.every((t) => t.status === 'ok')).toBe(true);
  });

  it('a run killed halfway, run again, ends identical to one clean run', async () => {
    const period = '2026-08';
    await runRollup(period, { now: NOW });
    const clean = { csv: await file(period, 'csv'), xlsx: await file(period, 'xlsx'), json: withoutTime(await file(period, 'json')) };
    const killed = await stack.call('GET', '/admin/rollups', { token: county, query: { period: '2026-07' } });
    expect(killed.status).toBe(404);
    await expect(
      runRollup('2026-07', {
        now: NOW,
        afterTown: (townId) => {
          if (townId === 'qingshi') throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    // Halfway: town items but no county item, so the period reads as not rolled up.
    expect((await stack.call('GET', '/admin/rollups', { token: county, query: { period: '2026-07' } })).status).toBe(404);
    await runRollup('2026-07', { now: NOW });
    const again = {
      csv: await file('2026-07', 'csv'),
      xlsx: await file('2026-07', 'xlsx'),
      json: withoutTime(await file('2026-07', 'json')),
    };
    // Same counters, same figures: only the period differs between the two files.
    const swap = (text: string) => text.replaceAll('2026-07', '2026-08').replaceAll('2026-06', '2026-07');
    expect(swap(again.csv.toString('utf8'))).toBe(clean.csv.toString('utf8'));
    expect(JSON.parse(swap(JSON.stringify(again.json)))).toEqual(clean.json);
  });

  it('shows a count of 1–4 below town level as "<5" in county outputs; county and town cells as they are', () => {
    for (const level of ['community', 'grid', 'courtyard'] as const) {
      expect([0, 1, 2, 3, 4, 5, 120].map((n) => presentCell(n, level))).toEqual([0, '<5', '<5', '<5', '<5', 5, 120]);
    }
    for (const level of ['county', 'town'] as const) expect([0, 1, 4, 5].map((n) => presentCell(n, level))).toEqual([0, 1, 4, 5]);
  });

  it('refuses a town user and a bad period', async () => {
    expect((await stack.call('GET', '/admin/rollups', { token: admin, query: { period: PERIOD } })).status).toBe(403);
    expect((await stack.call('POST', '/admin/rollups/run', { token: county, body: { period: '2026-13' } })).status).toBe(400);
    expect((await stack.call('POST', '/admin/rollups/run', { token: county, body: { period: '2026-02-30' } })).status).toBe(400);
  });

  it('runs and shows a period from the CLI', async () => {
    const cli = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, {
        env: { GRIDLINE_API_URL: stack.apiUrl, GRIDLINE_TOKEN: county },
        out: (l) => out.push(l),
        err: (l) => err.push(l),
      });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const run = await cli(['rollup', 'run', '--date', '2026-11-27']);
    expect(run.code, run.err).toBe(EXIT.ok);
    expect(run.out).toContain('Rollup 2026-11-27: 3 of 3 towns');
    expect((await cli(['rollup', 'run', '--quarter', '2026-Q4'])).code).toBe(EXIT.ok);
    const shown = await cli(['rollup', 'show', '--period', PERIOD]);
    expect(shown.code, shown.err).toBe(EXIT.ok);
    expect(shown.out).toContain('Population');
    expect(shown.out).toContain('qingshi');
    expect((await cli(['rollup', 'show', '--period', PERIOD, '--date', '2026-11-27'])).code).toBe(EXIT.usage);
    expect((await cli(['rollup', 'run', '--quarter', '2026-11'])).code).toBe(EXIT.usage);
    expect((await cli(['rollup', 'show', '--period', '2030-01'])).code).toBe(EXIT.refused);
  });
});
