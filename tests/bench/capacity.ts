import { performance } from 'node:perf_hooks';
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
  /**
   * A move to another grid (decision 145) is the one change that keeps two places at once: the 32 above
   * were sized for it before visits, and since issue 14 it also rewrites both households' visit states,
   * each with its keys moved on the grid's and the community's due lists (2 table + 4 index units each).
   */
  movingWriteWcu: 44,
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
  /** The read units as DynamoDB bills them (see pricedReads); the same as `rcu` unless a BatchGetItem missed keys. */
  rcuPriced: number;
  /** For requests that write: the write units priced from the items written (see priceWrites). */
  priced?: PricedWrites;
  calls: number;
  /** Each DynamoDB call: operation and what it consumed, in order. */
  detail: string;
  lowerBound?: LowerBound;
  /** Wall time of the request, sending to answer (shown for bulk requests only: nothing else here is a timing). */
  requestMs: number;
  /** For requests that start background work: that work, as DynamoDB Local reported it, until it settled. */
  background?: { calls: number; rcu: number; rcuPriced: number; wcu: number; seconds: number };
  budget: string;
  verdict: 'ok' | 'FAIL' | 'reported';
  problem?: string;
};

export type Caller = { username: string | undefined; token: string | undefined };

export type CallResult = { status: number; body: unknown; text: string; headers: Headers };
export type Call = (
  method: string,
  path: string,
  o?: { token?: string; body?: unknown; query?: Record<string, string> },
) => Promise<CallResult>;
type Item = Record<string, unknown>;
export type Snapshot = Map<string, Item>;

export const fmt = (n: number) => String(Math.round(n * 100) / 100);
const keyId = (k: Key) => `${k.pk}\u0000${k.sk}`;
export const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
/** Classes whose requests may write: the table is read before and after them to price the writes. */
const WRITING_CLASSES = new Set<RouteClass>(['write', 'write-indexed', 'write-moving', 'provisioning', 'bulk']);

/** Items by key. */
export const snapshotOf = (items: Item[]): Snapshot => new Map(items.map((i) => [keyId({ pk: String(i.pk), sk: String(i.sk) }), i]));

/** The whole table by key: the benchmark's own Scan, always outside a measured request. */
async function snapshot(): Promise<Snapshot> {
  return snapshotOf(await scanAll());
}

function fillPath(route: RouteSpec, params: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`recipe for ${route.id} gives no value for {${name}}`);
    return encodeURIComponent(v);
  });
}

/** The header the local API (like API Gateway) answers with: the request id its handler's scope carries. */
const REQUEST_ID_HEADER = 'apigw-requestid';
/** How long the background must stay quiet, once settled, before its calls are taken as complete. */
const QUIET_MS = 250;

/** One request as DynamoDB saw it. */
export type Observed = {
  res: CallResult;
  requestId: string;
  /** The calls made while serving the request itself: those whose scope carries its request id. */
  own: CommandObservation[];
  /**
   * Calls of the background work the request started (another scope, e.g. the import job), made
   * before `settle` returned. Empty unless the request was observed with a `settle`.
   */
  background: CommandObservation[];
  /** Calls of the job a `delegated` request handed its work to (scopes `job-…`); empty otherwise. */
  delegated: CommandObservation[];
  /** From sending the request to its answer, and to the end of `settle`. */
  requestMs: number;
  settledMs: number;
};

/**
 * Sends one request and sorts out every DynamoDB call made until it (and, given `settle`, the work it
 * started in the background) is over. Requests run one at a time and the API runs in this process, so
 * every call seen is the request's own, its background's, or one of the bench's own requests made by
 * `settle` through the `call` it is handed (e.g. polling a status); anything else is an error:
 * - a call outside any request scope (the bench's own table reads happen only outside this window);
 * - without `settle`, a call of any scope but the request's (stray work, such as an import still
 *   running from an earlier measurement, would otherwise be counted).
 */
export async function observeRequest(
  call: Call,
  label: string,
  method: string,
  path: string,
  o: Parameters<Call>[2],
  settle?: (res: CallResult, call: Call) => Promise<void>,
  delegates = false,
): Promise<Observed> {
  const seen: CommandObservation[] = [];
  const pollIds = new Set<string>();
  let lastCall = 0;
  const stop = observeCommands((x) => {
    seen.push(x);
    lastCall = performance.now();
  });
  const polling: Call = async (...args) => {
    const r = await call(...args);
    const id = r.headers.get(REQUEST_ID_HEADER);
    if (id) pollIds.add(id);
    return r;
  };
  let res: CallResult;
  const started = performance.now();
  let requestMs: number;
  try {
    res = await call(method, path, o);
    requestMs = performance.now() - started;
    if (settle) {
      await settle(res, polling);
      // The background's last call is observed when its answer comes back, which may be just after the
      // status it wrote was read: wait for a quiet spell before closing the window.
      while (performance.now() - lastCall < QUIET_MS) await new Promise((ok) => setTimeout(ok, QUIET_MS / 5));
    }
  } finally {
    stop();
  }
  const settledMs = performance.now() - started;
  const requestId = res.headers.get(REQUEST_ID_HEADER);
  if (!requestId) throw new Error(`${label}: the answer carries no ${REQUEST_ID_HEADER} header (status ${res.status})`);
  const stray = seen.filter((x) => x.scope === undefined);
  if (stray.length > 0) throw new Error(`${label}: ${stray.length} DynamoDB call(s) outside any request scope during the measurement`);
  const own = seen.filter((x) => x.scope?.requestId === requestId);
  const notOwn = seen.filter((x) => x.scope && x.scope.requestId !== requestId && !pollIds.has(x.scope.requestId));
  const isJob = (x: CommandObservation) => delegates && (x.scope?.requestId ?? '').startsWith('job-');
  const delegated = notOwn.filter(isJob);
  const others = notOwn.filter((x) => !isJob(x));
  if (!settle && others.length > 0) {
    const scopes = [...new Set(others.map((x) => x.scope?.requestId))].join(', ');
    throw new Error(`${label}: ${others.length} DynamoDB call(s) of other work (scopes ${scopes}) during the measurement`);
  }
  return { res, requestId, own, background: others, delegated, requestMs, settledMs };
}

/** What a list of observed calls consumed, as DynamoDB Local reported it. */
export const consumedBy = (calls: CommandObservation[]) => ({
  rcu: calls.reduce((n, x) => n + x.consumed.read, 0),
  wcu: calls.reduce((n, x) => n + x.consumed.write, 0),
});

/**
 * Read units as DynamoDB bills them. DynamoDB Local reports nothing for the keys of a BatchGetItem that
 * find no item (see the calibration), but DynamoDB bills each key of a batch as a GetItem of its own,
 * and a read that finds nothing at the minimum: 0.5 RCU eventually consistent (batches here are). So a
 * batch costs at least 0.5 RCU per key; items over 4 KB it does find are in Local's own figure.
 */
export function pricedReads(calls: CommandObservation[]): number {
  return calls.reduce(
    (n, o) => n + (o.operation === 'BatchGetItem' ? Math.max(o.consumed.read, 0.5 * o.partitionKeys.length) : o.consumed.read),
    0,
  );
}

/** The read units a request is judged on: the larger of DynamoDB Local's figure and the priced one. */
export const judgedRcu = (row: CapacityRow) => Math.max(row.rcu, row.rcuPriced);

/** Calls the route once, alone, and adds up what every DynamoDB call made while serving it consumed. */
export async function measureRoute(route: RouteSpec, m: Measurement, caller: Caller, call: Call): Promise<CapacityRow> {
  await m.prepare?.();
  const path = fillPath(route, m.params);
  const query = typeof m.query === 'function' ? m.query() : m.query;
  const writes = WRITING_CLASSES.has(m.class);
  const before = writes ? await snapshot() : undefined;

  const observed = await observeRequest(
    call,
    m.label,
    route.method,
    path,
    {
      ...(caller.token ? { token: caller.token } : {}),
      ...(m.body !== undefined ? { body: m.body } : {}),
      ...(query ? { query } : {}),
    },
    m.settle ? (r, c) => (m.settle as NonNullable<Measurement['settle']>)(r.body, c) : undefined,
    m.delegated ?? false,
  );
  const { res, own: seen } = observed;
  if (res.status !== m.status)
    throw new Error(
      `${m.label}: ${route.method} ${path} answered ${res.status}, the recipe expects ${m.status}: ${res.text.slice(0, 500)}`,
    );
  m.after?.(res.body);

  const { rcu, wcu } = consumedBy(seen);
  const detail = seen
    .map((o) => {
      const parts = [o.consumed.read ? `${fmt(o.consumed.read)} R` : '', o.consumed.write ? `${fmt(o.consumed.write)} W` : ''].filter(
        Boolean,
      );
      return `${o.operation}${parts.length ? ` ${parts.join(' ')}` : ''}`;
    })
    .join(', ');
  const job = consumedBy(observed.delegated);
  const jobNote = observed.delegated.length
    ? `; then the job it waits for (deployed, the jobs function): ${observed.delegated.length} call(s), ${fmt(job.rcu)} RCU, ${fmt(job.wcu)} WCU`
    : '';
  const ownWrites = seen.filter((o) => WRITES.has(o.operation));
  const writeOps = ownWrites.map((o) => o.operation);
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
    rcuPriced: pricedReads(seen),
    calls: seen.length,
    detail: (detail || '—') + jobNote,
    budget: '',
    verdict: 'ok',
    requestMs: observed.requestMs,
  };
  if (m.settle) row.background = backgroundOf(observed);
  if (before && after) {
    const transactional = writeOps.length > 0 && writeOps.every((op) => op === 'TransactWriteItems');
    row.priced = m.settle
      ? priceOwnWrites(m.label, before, after, transactional, ownWrites, observed.background)
      : priceWrites(before, after, transactional);
  }
  if (m.returned && after) row.lowerBound = computeLowerBound(m, res.body, route.audience === 'town', after);
  judge(row, m);
  if (m.maxQueries !== undefined) {
    const problem = queryProblem(
      m.label,
      seen.map((o) => o.operation),
      m.maxQueries,
    );
    row.budget += `${row.budget ? '; ' : ''}≤ ${m.maxQueries} Query`;
    if (problem && row.verdict !== 'FAIL') {
      row.verdict = 'FAIL';
      row.problem = problem;
    }
  }
  return row;
}

/**
 * A request promised to read in at most `max` Queries (the coverage matrix, whatever the number of
 * grids and posts): the problem when it made more, else undefined. A Scan is never a way round it.
 */
export function queryProblem(label: string, operations: readonly string[], max: number): string | undefined {
  const queries = operations.filter((o) => o === 'Query').length;
  if (operations.includes('Scan')) return `${label} scanned the table; it may read in at most ${max} Query call(s)`;
  if (queries > max) return `${label} made ${queries} Query calls; it may make at most ${max}`;
  return undefined;
}

/** The background work a request started, as DynamoDB Local reported it (shown, never budgeted). */
function backgroundOf(o: Observed): NonNullable<CapacityRow['background']> {
  const { rcu, wcu } = consumedBy(o.background);
  return { calls: o.background.length, rcu, rcuPriced: pricedReads(o.background), wcu, seconds: (o.settledMs - o.requestMs) / 1000 };
}

/**
 * The writes of a request that started background work, priced from the table before the request and
 * after the background settled. Only the items in partitions the request itself wrote are its own
 * candidates; the background may also have written there, so each such partition must hold exactly one
 * changed item (then the request and the background wrote the same item, priced once at the larger of
 * its sizes) or the background must not have written to it at all, once the background's own audit
 * entries (each names its writer's scope) are set aside. Anything else cannot be told apart and is
 * refused rather than priced wrong.
 */
function priceOwnWrites(
  label: string,
  before: Snapshot,
  after: Snapshot,
  transactional: boolean,
  own: CommandObservation[],
  background: CommandObservation[],
): PricedWrites {
  const all = priceWrites(before, after, transactional);
  const ownPks = new Set(own.flatMap((o) => o.partitionKeys));
  const backgroundPks = new Set(background.filter((o) => WRITES.has(o.operation)).flatMap((o) => o.partitionKeys));
  // An audit entry names the request (or job) that wrote it: one the background wrote in a partition the
  // request also wrote (the day's audit partition) is the background's, whatever else shares it.
  const backgroundIds = new Set(background.map((o) => o.scope?.requestId).filter((id): id is string => id !== undefined));
  const writtenBy = (i: WrittenItem) => {
    const stored = after.get(keyId(i)) ?? before.get(keyId(i));
    return i.type === 'Audit' && typeof stored?.requestId === 'string' ? stored.requestId : undefined;
  };
  const items = all.items.filter((i) => {
    if (!ownPks.has(i.pk)) return false;
    const by = writtenBy(i);
    return by === undefined || !backgroundIds.has(by);
  });
  for (const pk of ownPks) {
    if (!backgroundPks.has(pk)) continue;
    const changed = items.filter((i) => i.pk === pk).length;
    if (changed > 1)
      throw new Error(
        `${label}: the request and its background both wrote to ${pk}, where ${changed} items changed: ` +
          "the request's own writes cannot be told apart; measure it on a request whose background stays out of its partitions",
      );
  }
  const tableWcu = items.reduce((n, i) => n + i.tableWcu, 0);
  const indexWcu = items.reduce((n, i) => n + i.indexWcu, 0);
  return { transactional, tableWcu, indexWcu, total: tableWcu + indexWcu, items };
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
export function priceWrites(before: Snapshot, after: Snapshot, transactional: boolean): PricedWrites {
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
      if (judgedRcu(row) > BUDGET.readOneRcu)
        fail(`${row.label} read ${fmt(judgedRcu(row))} RCU; a single-item read may use ${BUDGET.readOneRcu}`);
      break;
    case 'read-one-consistent':
      row.budget = 'reported, no budget (see Import routes)';
      row.verdict = 'reported';
      break;
    case 'list': {
      const lb = row.lowerBound;
      if (!lb) throw new Error(`${row.label}: a list recipe must say which items it returned`);
      const limit = lb.total + BUDGET.listAboveLowerBoundRcu;
      row.budget = `≤ ${fmt(limit)} RCU (bound ${fmt(lb.total)} + ${BUDGET.listAboveLowerBoundRcu})`;
      if (judgedRcu(row) > limit)
        fail(`${row.label} read ${fmt(judgedRcu(row))} RCU; its items need at least ${fmt(lb.total)}, so the budget is ${fmt(limit)}`);
      break;
    }
    case 'write':
    case 'write-indexed':
    case 'write-moving': {
      const budget = m.class === 'write' ? BUDGET.writeWcu : m.class === 'write-indexed' ? BUDGET.indexedWriteWcu : BUDGET.movingWriteWcu;
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
    case 'bulk':
      row.budget = 'reported, no budget';
      row.verdict = 'reported';
      break;
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
