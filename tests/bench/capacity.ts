import { type CommandObservation, itemSize, minReadUnits, observeCommands, TABLE, townKeys } from '@gridline/data';
import { scanAll } from '@gridline/data/admin';
import type { RouteSpec } from '@gridline/functions';
import { BENCH_TOWN } from './fixtures';
import type { Key, Measurement, RouteClass } from './recipes';

/** The budgets of issue 2, item 9. */
export const BUDGET = {
  readOneRcu: 1,
  listAboveLowerBoundRcu: 1,
  writeWcu: 10,
  /**
   * A population-book write also keeps its indexes in the same transaction: the ID-number lock, one
   * entry per tag, the household's member count and the town, grid and courtyard counters. Issue 2's
   * 10 units are for one record with its audit and counters; these get 32, enough for the costliest, a
   * move to another grid, which deletes the record in one partition and writes it in another (decision 16).
   */
  indexedWriteWcu: 32,
} as const;

export type LowerBound = {
  items: number;
  itemBytes: number;
  /** minReadUnits of the returned items, read as one Query. */
  itemsRcu: number;
  /** The town status item read before every town route (its own GetItem, rounded on its own). */
  statusBytes: number | null;
  statusRcu: number;
  total: number;
};

/** One item a request created, changed or deleted, and what DynamoDB bills for writing it. */
export type WrittenItem = {
  change: 'created' | 'updated' | 'deleted';
  type: string;
  pk: string;
  sk: string;
  bytes: number;
  tableWcu: number;
  /** Index entries written for it (a GSI whose keys the item holds, before or after). */
  indexWrites: string[];
  indexWcu: number;
};

/** Write units priced from the items a request wrote, as the service bills them. */
export type PricedWrites = { transactional: boolean; tableWcu: number; indexWcu: number; total: number; items: WrittenItem[] };

export type CapacityRow = {
  label: string;
  routeId: string;
  route: string;
  class: RouteClass;
  caller: string;
  status: number;
  /** As DynamoDB Local reported them (ConsumedCapacity, TOTAL), summed over the request's calls. */
  rcu: number;
  wcu: number;
  /** For requests that write: the write units priced from the items written (see priceWrites). */
  priced?: PricedWrites;
  calls: number;
  /** Each DynamoDB call: operation and what it consumed, in order. */
  detail: string;
  lowerBound?: LowerBound;
  budget: string;
  verdict: 'ok' | 'FAIL' | 'reported';
  problem?: string;
};

export type Caller = { username: string | undefined; token: string | undefined };

type Call = (
  method: string,
  path: string,
  o?: { token?: string; body?: unknown; query?: Record<string, string> },
) => Promise<{ status: number; body: unknown; text: string }>;
type Item = Record<string, unknown>;
type Snapshot = Map<string, Item>;

export const fmt = (n: number) => String(Math.round(n * 100) / 100);
const keyId = (k: Key) => `${k.pk}\u0000${k.sk}`;
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** The whole table by key: the benchmark's own Scan, always outside a measured request. */
async function snapshot(): Promise<Snapshot> {
  return new Map((await scanAll()).map((i) => [keyId({ pk: String(i.pk), sk: String(i.sk) }), i]));
}

function fillPath(route: RouteSpec, params: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`recipe for ${route.id} gives no value for {${name}}`);
    return encodeURIComponent(v);
  });
}

/** Calls the route once, alone, and adds up what every DynamoDB call made while serving it consumed. */
export async function measureRoute(route: RouteSpec, m: Measurement, caller: Caller, call: Call): Promise<CapacityRow> {
  await m.prepare?.();
  const path = fillPath(route, m.params);
  const query = typeof m.query === 'function' ? m.query() : m.query;
  const writes = m.class === 'write' || m.class === 'write-indexed' || m.class === 'provisioning';
  const before = writes ? await snapshot() : undefined;

  const seen: CommandObservation[] = [];
  const stop = observeCommands((o) => seen.push(o));
  let res: Awaited<ReturnType<Call>>;
  try {
    res = await call(route.method, path, {
      ...(caller.token ? { token: caller.token } : {}),
      ...(m.body !== undefined ? { body: m.body } : {}),
      ...(query ? { query } : {}),
    });
  } finally {
    stop();
  }
  if (res.status !== m.status)
    throw new Error(
      `${m.label}: ${route.method} ${path} answered ${res.status}, the recipe expects ${m.status}: ${res.text.slice(0, 500)}`,
    );
  // Requests run one at a time and the API runs in this process: every call seen belongs to this request.
  const stray = seen.filter((o) => o.scope === undefined);
  if (stray.length > 0) throw new Error(`${m.label}: ${stray.length} DynamoDB call(s) outside the request scope during the measurement`);
  m.after?.(res.body);

  const rcu = seen.reduce((n, o) => n + o.consumed.read, 0);
  const wcu = seen.reduce((n, o) => n + o.consumed.write, 0);
  const detail = seen
    .map((o) => {
      const parts = [o.consumed.read ? `${fmt(o.consumed.read)} R` : '', o.consumed.write ? `${fmt(o.consumed.write)} W` : ''].filter(
        Boolean,
      );
      return `${o.operation}${parts.length ? ` ${parts.join(' ')}` : ''}`;
    })
    .join(', ');
  const writeOps = seen.filter((o) => WRITES.has(o.operation)).map((o) => o.operation);
  if (!writes && writeOps.length > 0) throw new Error(`${m.label}: a ${m.class} route made write call(s): ${writeOps.join(', ')}`);

  const after = before || m.returned ? await snapshot() : undefined;
  const row: CapacityRow = {
    label: m.label,
    routeId: route.id,
    route: `${route.method} ${route.path}`,
    class: m.class,
    caller: caller.username ?? '(none)',
    status: res.status,
    rcu,
    wcu,
    calls: seen.length,
    detail: detail || '—',
    budget: '',
    verdict: 'ok',
  };
  if (before && after) row.priced = priceWrites(before, after, writeOps.length > 0 && writeOps.every((op) => op === 'TransactWriteItems'));
  if (m.returned && after) row.lowerBound = computeLowerBound(m, res.body, route.audience === 'town', after);
  judge(row, m);
  return row;
}

/**
 * The least a list response can cost: the stored items it returned, read from the table (a Scan, made
 * by the benchmark after the request, never by it) and sized as DynamoDB sizes them, read by one Query
 * (sizes summed, then rounded up to 4 KB, eventually consistent). Town routes also read the town's
 * status item first, in a GetItem of its own that is rounded on its own.
 */
function computeLowerBound(m: Measurement, body: unknown, townRoute: boolean, table: Snapshot): LowerBound {
  const keys =
    m.returned?.(
      body,
      [...table.values()].map((i) => ({ pk: String(i.pk), sk: String(i.sk) })),
    ) ?? [];
  if (m.fullPage !== undefined && keys.length !== m.fullPage)
    throw new Error(`${m.label}: the page holds ${keys.length} items, not ${m.fullPage}: the setup does not fill a page`);
  let itemBytes = 0;
  for (const k of keys) {
    const item = table.get(keyId(k));
    if (!item) throw new Error(`${m.label}: returned an item the table does not hold (${k.pk} / ${k.sk})`);
    itemBytes += itemSize(item);
  }
  const itemsRcu = minReadUnits(itemBytes);
  let statusBytes: number | null = null;
  let statusRcu = 0;
  if (townRoute) {
    const status = table.get(keyId(townKeys(BENCH_TOWN).meta()));
    if (!status) throw new Error(`${m.label}: the bench town has no status item`);
    statusBytes = itemSize(status);
    statusRcu = minReadUnits(statusBytes);
  }
  return { items: keys.length, itemBytes, itemsRcu, statusBytes, statusRcu, total: itemsRcu + statusRcu };
}

/** Same attributes and values, whatever order the attributes come in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Set))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Item)[k])}`)
      .join(',')}}`;
  if (v instanceof Set) return `set(${[...v].map(canonical).sort().join(',')})`;
  return JSON.stringify(v) ?? 'undefined';
}

const kbUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/**
 * Prices the writes of one request from the table before and after it, as DynamoDB bills them:
 * - each item created, changed or deleted: 1 WCU per started KB of the larger of its old and new
 *   size, twice that inside a transaction (DynamoDB prepares and commits every item);
 * - each global secondary index entry the change writes (the item holds the index keys before or after;
 *   every index here projects ALL attributes, so any change rewrites the entry): 1 WCU per started KB,
 *   two writes when the index key itself changes (old entry deleted, new one put). Index upkeep is
 *   priced at the standard rate: DynamoDB propagates a transaction's changes to its indexes after
 *   the commit, so this is the lower of the two possible readings.
 *
 * DynamoDB Local's own figure for TransactWriteItems does not add up the items (see the calibration in
 * run.ts), which is why writes are priced here and judged on the larger of the two figures.
 */
function priceWrites(before: Snapshot, after: Snapshot, transactional: boolean): PricedWrites {
  const rate = transactional ? 2 : 1;
  const items: WrittenItem[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(id);
    const a = after.get(id);
    if (b && a && canonical(b) === canonical(a)) continue;
    const bytes = Math.max(b ? itemSize(b) : 0, a ? itemSize(a) : 0);
    const indexWrites: string[] = [];
    let indexWcu = 0;
    for (const g of TABLE.globalIndexes) {
      const entry = (i: Item | undefined) =>
        i && i[g.partitionKey] !== undefined && i[g.sortKey] !== undefined ? `${String(i[g.partitionKey])}|${String(i[g.sortKey])}` : null;
      const eb = entry(b);
      const ea = entry(a);
      if (eb === null && ea === null) continue;
      if (eb !== null && ea !== null && eb !== ea) {
        indexWrites.push(`${g.indexName} (key moved)`);
        indexWcu += kbUnits(itemSize(b as Item)) + kbUnits(itemSize(a as Item));
      } else {
        indexWrites.push(g.indexName);
        indexWcu += kbUnits(itemSize((a ?? b) as Item));
      }
    }
    const source = (a ?? b) as Item;
    items.push({
      change: !b ? 'created' : !a ? 'deleted' : 'updated',
      type: String(source.type ?? '?'),
      pk: String(source.pk),
      sk: String(source.sk),
      bytes,
      tableWcu: rate * kbUnits(bytes),
      indexWrites,
      indexWcu,
    });
  }
  const tableWcu = items.reduce((n, i) => n + i.tableWcu, 0);
  const indexWcu = items.reduce((n, i) => n + i.indexWcu, 0);
  return { transactional, tableWcu, indexWcu, total: tableWcu + indexWcu, items };
}

/** The write units a request is judged on: the larger of DynamoDB Local's figure and the priced one. */
export const judgedWcu = (row: CapacityRow) => Math.max(row.wcu, row.priced?.total ?? 0);

function judge(row: CapacityRow, m: Measurement) {
  const fail = (problem: string) => {
    row.verdict = 'FAIL';
    row.problem = problem;
  };
  switch (m.class) {
    case 'no-data':
      row.budget = 'no DynamoDB call';
      if (row.calls > 0) fail(`${row.label} made ${row.calls} DynamoDB call(s); it must make none`);
      break;
    case 'read-one':
      row.budget = `≤ ${BUDGET.readOneRcu} RCU`;
      if (row.rcu > BUDGET.readOneRcu) fail(`${row.label} read ${fmt(row.rcu)} RCU; a single-item read may use ${BUDGET.readOneRcu}`);
      break;
    case 'list': {
      const lb = row.lowerBound;
      if (!lb) throw new Error(`${row.label}: a list recipe must say which items it returned`);
      const limit = lb.total + BUDGET.listAboveLowerBoundRcu;
      row.budget = `≤ ${fmt(limit)} RCU (bound ${fmt(lb.total)} + ${BUDGET.listAboveLowerBoundRcu})`;
      if (row.rcu > limit)
        fail(`${row.label} read ${fmt(row.rcu)} RCU; its items need at least ${fmt(lb.total)}, so the budget is ${fmt(limit)}`);
      break;
    }
    case 'write':
    case 'write-indexed': {
      const budget = m.class === 'write' ? BUDGET.writeWcu : BUDGET.indexedWriteWcu;
      row.budget = `≤ ${budget} WCU`;
      const w = judgedWcu(row);
      if (w > budget) {
        const p = row.priced;
        const why = p
          ? ` (${p.items.length} items written${p.transactional ? ' in a transaction' : ''} = ${p.tableWcu} WCU, plus ${p.indexWcu} WCU of index upkeep: ` +
            `${p.items
              .filter((i) => i.indexWcu > 0)
              .map((i) => `${i.type} ${i.pk} → ${i.indexWrites.join(', ')}`)
              .join('; ')})`
          : '';
        fail(`${row.label} costs ${fmt(w)} WCU${why}; its class (${m.class}) may use ${budget}`);
      }
      break;
    }
    case 'provisioning':
      if (m.replay) {
        row.budget = '0 WCU (a replay writes nothing)';
        if (judgedWcu(row) > 0) fail(`${row.label} wrote ${fmt(judgedWcu(row))} WCU; replaying the same spec must write nothing`);
      } else {
        row.budget = 'reported, no budget';
        row.verdict = 'reported';
      }
      break;
  }
}
