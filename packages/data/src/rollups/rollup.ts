import { writeXlsx } from '@gridline/book';
import {
  computeMetrics,
  findMetric,
  METRICS,
  METRIC_RATIOS,
  newId,
  type PeriodKind,
  parsePeriod,
  periodsEndingWith,
  previousPeriod,
  type RollupCell,
  type RollupRow,
  type RollupTrendPoint,
  type RollupView,
} from '@gridline/domain';
import { reportsStore, rollupFileKey } from '../blobs';
import { PLATFORM_PREFIX, platformKeys, townKeys, townPrefix, type Key } from '../keys';
import { batchGetAll, batchPutAll, commitChange, type Item, queryAll } from '../ops';
import { currentScope, type RequestScope, runInScope } from '../scope';
import { listTowns } from '../towns/registry';

/**
 * The county rollup: for one period, every town's metrics (METRICS, packages/domain/src/metrics.ts)
 * computed from its maintained counters only — one BatchGetItem of 2–4 counter items per town, never a
 * resident — written as one item per town and one county item under `P#ROLLUP#<period>`, with the change
 * against the previous period's rollup when there is one, and the period's files in the reports store.
 *
 * Re-running a period rewrites the same items and files (only `computedAt` differs); a town that fails
 * is retried once, then written as failed and left out of the county total, and the others go on. The
 * county item is written last, so a run killed halfway leaves no county item, and the next run rewrites
 * everything.
 *
 * Stock metrics (population, households, org chart, staff) are the counters as they stand when the
 * rollup runs: the scheduled runs just after a period ends give the period's closing figures.
 */

export type TownCounterReader = (townId: string, keys: Key[]) => Promise<Item[]>;

export type RollupOptions = {
  /** The run's time (ISO); only `computedAt` carries it. */
  now: string;
  /** Reads one town's counter items (a seam for tests); by default one BatchGetItem as the town. */
  readCounters?: TownCounterReader;
  /** Called after each town's item is written (tests use it to stop a run halfway). */
  afterTown?: (townId: string) => void | Promise<void>;
};

export type RollupResult = {
  period: string;
  kind: PeriodKind;
  towns: number;
  ok: string[];
  failed: Array<{ townId: string; error: string }>;
  files: string[];
  /** DynamoDB use of the run: calls and read units (reads are O(towns), independent of residents). */
  consumed: RequestScope['consumed'];
};

type TownEntry = { townId: string; name: string; status: string };
type Numbers = Record<string, number>;

const defaultReader: TownCounterReader = (_townId, keys) => batchGetAll<Item>(keys);

/** The keys of one town's counter items a period needs: the town's totals and the period's months. */
export function counterKeysFor(townId: string, period: string): Key[] {
  const p = parsePeriod(period);
  if (!p) throw new Error(`not a period: ${period}`);
  const k = townKeys(townId);
  return [k.counters('TOWN'), ...p.months.map((m) => k.counters(`MONTH#${m}`))];
}

function difference(now: Numbers, before: Numbers | undefined): Numbers | null {
  if (!before) return null;
  const out: Numbers = {};
  for (const m of METRICS) out[m.id] = (now[m.id] ?? 0) - (before[m.id] ?? 0);
  return out;
}

export async function runRollup(period: string, opts: RollupOptions): Promise<RollupResult> {
  const parsed = parsePeriod(period);
  if (!parsed) throw new Error(`not a period: ${period}`);
  const read = opts.readCounters ?? defaultReader;
  const consumed = { read: 0, write: 0, calls: 0 };
  const runId = currentScope()?.requestId ?? `job-${newId()}`;
  const asCounty = <T>(fn: () => Promise<T>) =>
    runInScope({ requestId: runId, tenant: 'county', allowedPrefixes: [PLATFORM_PREFIX], consumed }, fn);

  const { towns, previous } = await asCounty(async () => {
    const list: TownEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await listTowns(100, cursor);
      list.push(...page.items.map((t) => ({ townId: t.townId, name: t.name, status: t.status })));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const prev = await queryAll<Item>(platformKeys.rollupPk(previousPeriod(period)));
    return { towns: list, previous: new Map(prev.map((i) => [String(i.sk), i])) };
  });
  const previousOf = (sk: string): Numbers | undefined => {
    const item = previous.get(sk);
    return item && item.status !== 'failed' ? (item.metrics as Numbers | undefined) : undefined;
  };
  const prevId = previousPeriod(period);

  const ok: string[] = [];
  const failed: Array<{ townId: string; error: string }> = [];
  const county: Numbers = Object.fromEntries(METRICS.map((m) => [m.id, 0]));
  for (const town of towns) {
    let metrics: Numbers | undefined;
    let error = '';
    for (let attempt = 0; attempt < 2 && !metrics; attempt++) {
      try {
        const keys = counterKeysFor(town.townId, period);
        // As the town (deployed: the town data role with its session tag), like a request of that town.
        const items = await runInScope(
          { requestId: runId, tenant: town.townId, allowedPrefixes: [townPrefix(town.townId)], consumed },
          () => read(town.townId, keys),
        );
        const bySk = new Map(items.map((i) => [String(i.sk), i]));
        metrics = computeMetrics(
          bySk.get('TOWN'),
          parsed.months.map((m) => bySk.get(`MONTH#${m}`) ?? {}),
        );
      } catch (e) {
        error = (e as Error).message || 'failed';
      }
    }
    const key = platformKeys.rollupTown(period, town.townId);
    const base = { ...key, type: 'Rollup', period, kind: parsed.kind, previous: prevId, townId: town.townId, name: town.name };
    const item: Item & Key = metrics
      ? { ...base, status: 'ok', townStatus: town.status, metrics, change: difference(metrics, previousOf(key.sk)), computedAt: opts.now }
      : { ...base, status: 'failed', townStatus: town.status, error, computedAt: opts.now };
    if (metrics) {
      ok.push(town.townId);
      for (const m of METRICS) county[m.id] = (county[m.id] ?? 0) + (metrics[m.id] ?? 0);
    } else failed.push({ townId: town.townId, error });
    await asCounty(() => batchPutAll([item]));
    await opts.afterTown?.(town.townId);
  }

  const countyItem: Item & Key = {
    ...platformKeys.rollupCounty(period),
    type: 'RollupCounty',
    period,
    kind: parsed.kind,
    previous: prevId,
    towns: towns.map((t) => t.townId),
    included: ok,
    failed,
    complete: failed.length === 0,
    metrics: county,
    change: difference(county, previousOf('COUNTY')),
    computedAt: opts.now,
  };
  await asCounty(() => commitChange({ writes: [{ kind: 'put', item: countyItem }], audit: [] }));

  const files = await asCounty(async () => {
    const view = await readRollup(period);
    const out = rollupFiles(view);
    const store = reportsStore();
    const names: string[] = [];
    for (const [ext, bytes] of Object.entries(out) as Array<['csv' | 'xlsx' | 'json', Uint8Array]>) {
      const key = rollupFileKey(period, ext);
      await store.put(key, bytes);
      names.push(key);
    }
    return names;
  });
  return { period, kind: parsed.kind, towns: towns.length, ok, failed, files, consumed };
}

// ---------------------------------------------------------------------------------------------------
// What the county sees: the rollup as stored, with the small-cell rule applied.

/** Where a cell sits: the county total, one town, or a part of a town (community, grid, courtyard). */
export type CellLevel = 'county' | 'town' | 'community' | 'grid' | 'courtyard';
export type Cell = RollupCell;

/**
 * The small-cell rule of the county outputs (issue 4): a cell below town level (a community, grid or
 * courtyard) with a count of 1–4 shows as "<5", so no person can be singled out. County and town
 * cells are shown as they are. A change beside a suppressed value is suppressed too.
 */
export function presentCell(value: number, level: CellLevel): Cell {
  const belowTown = level !== 'county' && level !== 'town';
  return belowTown && value >= 1 && value <= 4 ? '<5' : value;
}

export type { RollupRow, RollupView };

export const metricColumns = () => METRICS.map((m) => ({ id: m.id, label: m.label, sensitive: m.sensitive ?? false }));

function presentRow(level: CellLevel, item: Item, name: string): RollupRow {
  const metrics = item.metrics as Numbers | undefined;
  const change = item.change as Numbers | null | undefined;
  const shown: Record<string, Cell> = {};
  const shownChange: Record<string, Cell> = {};
  for (const m of METRICS) {
    const v = presentCell(metrics?.[m.id] ?? 0, level);
    shown[m.id] = v;
    if (change) shownChange[m.id] = v === '<5' ? '<5' : (change[m.id] ?? 0);
  }
  return {
    level,
    townId: level === 'county' ? null : String(item.townId),
    name,
    status: item.status === 'failed' ? 'failed' : 'ok',
    metrics: metrics ? shown : null,
    change: metrics && change ? shownChange : null,
    ...(item.status === 'failed' ? { error: String(item.error ?? '') } : {}),
  };
}

/** The stored rollup of a period (county item and towns, by town id), or undefined if it was never run. */
export async function readRollup(period: string): Promise<RollupView | undefined> {
  const items = await queryAll<Item>(platformKeys.rollupPk(period));
  const county = items.find((i) => i.sk === 'COUNTY');
  if (!county) return undefined;
  const towns = items
    .filter((i) => String(i.sk).startsWith('TOWN#'))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
    .map((i) => presentRow('town', i, String(i.name ?? i.townId)));
  return {
    period,
    kind: county.kind as PeriodKind,
    previous: String(county.previous),
    computedAt: String(county.computedAt),
    complete: county.complete === true,
    failed: (county.failed as Array<{ townId: string; error: string }>) ?? [],
    metrics: metricColumns(),
    ratios: METRIC_RATIOS.map((r) => ({ id: r.id, label: r.label, numerator: [...r.numerator], denominator: [...r.denominator] })),
    county: { ...presentRow('county', { ...county, status: 'ok' }, '全县 County'), townId: null },
    towns,
  };
}

export type TrendPoint = RollupTrendPoint;

/** One metric over the `count` periods ending with `last` (oldest first); periods never rolled up give null. */
export async function rollupTrend(metric: string, last: string, count = 12): Promise<TrendPoint[]> {
  if (!findMetric(metric)) throw new Error(`unknown metric ${metric}`);
  const out: TrendPoint[] = [];
  for (const period of periodsEndingWith(last, count)) {
    const items = await queryAll<Item>(platformKeys.rollupPk(period));
    const county = items.find((i) => i.sk === 'COUNTY');
    const towns: Record<string, number | null> = {};
    for (const i of items)
      if (String(i.sk).startsWith('TOWN#'))
        towns[String(i.townId)] = i.status === 'ok' ? ((i.metrics as Numbers | undefined)?.[metric] ?? 0) : null;
    out.push({ period, county: county ? ((county.metrics as Numbers | undefined)?.[metric] ?? 0) : null, towns });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Files: the same rows as CSV (UTF-8 with BOM), XLSX and JSON. No timestamp except the JSON's
// `computedAt`, so re-runs give byte-identical CSV and XLSX.

function tableRows(view: RollupView): Array<Array<string | number>> {
  const header = ['层级 Level', '镇街代码 Town id', '名称 Name', '状态 Status', ...view.metrics.map((m) => `${m.label.zh} ${m.label.en}`)];
  const line = (r: RollupRow) => [
    r.level,
    r.townId ?? '',
    r.name,
    r.status,
    ...view.metrics.map((m) => (r.metrics ? (r.metrics[m.id] ?? 0) : '')),
  ];
  return [header, line(view.county), ...view.towns.map(line)];
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quotes where needed, and a leading apostrophe for anything a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function rollupFiles(view: RollupView | undefined): { csv: Uint8Array; xlsx: Uint8Array; json: Uint8Array } {
  if (!view) throw new Error('no rollup to write');
  const rows = tableRows(view);
  const csv = `\ufeff${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
  const title = `县级汇总 County rollup ${view.period}`;
  const xlsx = writeXlsx({
    name: view.period,
    rows: [
      [{ value: title, style: 1 }],
      ...rows.map((r, i) =>
        r.map((v) => ({ value: v, style: i === 0 ? (2 as const) : typeof v === 'number' ? (4 as const) : (3 as const) })),
      ),
    ],
    merges: [`A1:${columnLetter(rows[0]?.length ?? 1)}1`],
    frozenRows: 2,
  });
  const json = `${JSON.stringify(view, null, 2)}\n`;
  return { csv: new TextEncoder().encode(csv), xlsx, json: new TextEncoder().encode(json) };
}

function columnLetter(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}
