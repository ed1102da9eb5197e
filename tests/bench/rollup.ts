// Settings read at import time come first (see env.ts); keep this import at the top.
import './env';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  batchGetAll,
  batchPutAll,
  type Change,
  type CommandObservation,
  commitChange,
  forTown,
  itemSize,
  mergeCounters,
  minReadUnits,
  observeCommands,
  platformKeys,
  provisionTown,
  queryAll,
  townKeys,
} from '@gridline/data';
import { townVault } from '@gridline/data/vault';
import { recountTown } from '@gridline/data/recount';
import { bookOf } from '@gridline/data/book';
import { readRollup, runRollup } from '@gridline/data/rollup';
import { ensureTable } from '@gridline/data/admin';
import { FIRST_ADMIN_SCOPE, newId, previousPeriod, type TownPrincipal } from '@gridline/domain';
import { startDynamo } from '@gridline/local';
// The book's own parser and masks. The tests package does not depend on @gridline/book, so its source is imported directly.
import { type BookPerson, importBook, maskIdNumber, maskPhone } from '@gridline/book';
import { generateBook } from './books';
import { EXTRA_TOWNS } from './fixtures';

/**
 * The county rollup against the number of residents (issue 4): 50 towns with 2,000 residents each,
 * the rollup of one month run and measured, every town grown to 4,000 residents, and the same rollup
 * run again. The rollup reads maintained counters only, so both runs must read the same items for the
 * same capacity; a Scan of the same table is measured beside them at both sizes.
 *
 * It runs in a process of its own (`measureRollupScale` starts this file) with its own DynamoDB Local
 * and table: the data package reads its settings once per process, and the main bench's table and
 * capacity figures stay untouched.
 *
 * The residents are written the quick way, but with the product's own items: the sample book repeated
 * (books.ts), parsed and validated by the book package, each household and person turned into the
 * very change the API and the importer commit (`bookOf(…).changes`, IDs and phones sealed by the town's
 * vault). Of each change the records themselves (the household, the person) are written with
 * BatchWriteItem; the counter moves of all the changes are added up (`mergeCounters`) and committed as
 * counter updates (`commitChange`), a household's member count written on the household. The index and
 * history items of those changes (ID-number and household-number locks, tag entries, the person's
 * history event, audit entries) are left out to keep the load short: a real book is larger than this
 * table, and a Scan of it costlier. The counters are then checked: every town's population and
 * households in the rollup against what was written, and a recount (`recountTown`, Query by grid) of
 * one town in ten must find no drift.
 */

export const ROLLUP_TOWNS = 50;
export const ROLLUP_STAGES = [2000, 4000] as const;
export const ROLLUP_PERIOD = '2026-11';
export const ROLLUP_TABLE = 'gridline-bench-rollup';
/** Floating residents recorded as arriving in the period, per town, through the book's real move: the month's counter item exists. */
export const ARRIVALS_PER_TOWN = 2;
/** Towns recounted from their records at each size (one in ten). */
const RECOUNT_EVERY = 10;
/** Towns loaded at the same time. */
const LOAD_PARALLEL = 4;
const NOW = '2026-11-30T12:00:00.000Z';
const SAMPLE_ROWS = 400;

/** What a read of the rollup reads: its inputs (registry, previous period, counters) or its own output, read back for the files. */
export type RollupReadKind = 'registry' | 'previous' | 'counters' | 'output';
export const READ_LABELS: Record<RollupReadKind, string> = {
  registry: 'The town registry',
  previous: "The previous period's rollup",
  counters: "Every town's counter items",
  output: "The period's rollup, read back for the files",
};

/** The reads of one rollup run, by what they read. */
export type RollupRead = {
  kind: RollupReadKind;
  operation: string;
  calls: number;
  /** Keys asked for (BatchGetItem) or items returned (Query). */
  keys: number;
  items: number;
  bytes: number;
  rcu: number;
  rcuPriced: number;
};

export type RollupStage = {
  residentsPerTown: number;
  /** People and households in the table (every town), as written. */
  people: number;
  households: number;
  /** The bulk load of this stage: items written and the time it took (counters included). */
  load: { items: number; seconds: number };
  rollup: {
    seconds: number;
    /** Every DynamoDB call of the run, reads and writes. */
    calls: number;
    readCalls: number;
    itemsRead: number;
    rcu: number;
    rcuPriced: number;
    wcu: number;
    reads: RollupRead[];
    towns: number;
    failed: number;
    /** The county item's population and households, and the towns whose own figures were not what was written. */
    countyPeople: number;
    countyHouseholds: number;
    townsOff: string[];
  };
  scan: { items: number; bytes: number; rcuPriced: number; rcu: number; pages: number; segments: number; seconds: number };
  recount: Array<{ townId: string; drift: number; people: number; households: number }>;
};

export type RollupScale = {
  towns: number;
  period: string;
  org: { communities: number; grids: number; courtyards: number };
  arrivalsPerTown: number;
  stages: RollupStage[];
  setupSeconds: number;
  seconds: number;
};

const say = (msg: string) => console.log(`[bench] ${msg}`);
const secondsSince = (t: number) => (performance.now() - t) / 1000;
type Item = Record<string, unknown> & { pk: string; sk: string };

/** Runs this file in a process of its own and returns what it measured. */
export async function measureRollupScale(): Promise<RollupScale> {
  const dir = mkdtempSync(join(tmpdir(), 'gridline-bench-rollup-out-'));
  const out = join(dir, 'rollup.json');
  try {
    // The parent runs under tsx: its execArgv carries the loader the child needs.
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), out], { stdio: 'inherit' });
    const code = await new Promise<number | null>((ok, fail) => {
      child.once('error', fail);
      child.once('exit', ok);
    });
    if (code !== 0) throw new Error(`the rollup benchmark exited with ${code}`);
    return JSON.parse(readFileSync(out, 'utf8')) as RollupScale;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The budgets of this section: the same reads at both sizes, and counters that match the records. */
export function rollupProblems(r: RollupScale): string[] {
  const problems: string[] = [];
  for (const s of r.stages) {
    const at = `at ${s.residentsPerTown.toLocaleString('en')} residents per town`;
    if (s.rollup.failed > 0) problems.push(`the county rollup ${at}: ${s.rollup.failed} town(s) failed`);
    if (s.rollup.townsOff.length > 0)
      problems.push(
        `the county rollup ${at}: the population or households of ${s.rollup.townsOff.join(', ')} differ from what was written`,
      );
    if (s.rollup.countyPeople !== s.people || s.rollup.countyHouseholds !== s.households)
      problems.push(
        `the county rollup ${at} counts ${s.rollup.countyPeople} people in ${s.rollup.countyHouseholds} households; ` +
          `the table holds ${s.people} in ${s.households}`,
      );
    for (const c of s.recount)
      if (c.drift !== 0) problems.push(`the recount of ${c.townId} ${at} finds ${c.drift} counter(s) adrift; it must be 0`);
  }
  const [a, b] = r.stages;
  if (!a || !b) return [...problems, `the rollup benchmark measured ${r.stages.length} sizes, not 2`];
  const sizes = `${a.residentsPerTown.toLocaleString('en')} and ${b.residentsPerTown.toLocaleString('en')} residents per town`;
  if (a.rollup.itemsRead !== b.rollup.itemsRead || a.rollup.readCalls !== b.rollup.readCalls)
    problems.push(
      `the county rollup must read the same items at ${sizes}: it read ${a.rollup.itemsRead} items in ${a.rollup.readCalls} calls, ` +
        `then ${b.rollup.itemsRead} in ${b.rollup.readCalls}`,
    );
  for (const kind of Object.keys(READ_LABELS) as RollupReadKind[]) {
    const x = a.rollup.reads.filter((q) => q.kind === kind);
    const y = b.rollup.reads.filter((q) => q.kind === kind);
    const sum = (list: RollupRead[], f: (q: RollupRead) => number) => list.reduce((n, q) => n + f(q), 0);
    const label = READ_LABELS[kind].toLowerCase();
    if (sum(x, (q) => q.items) !== sum(y, (q) => q.items) || sum(x, (q) => q.calls) !== sum(y, (q) => q.calls))
      problems.push(`the county rollup read ${label} differently at ${sizes}`);
    // Its own output holds the towns' and the county's figures, which gain digits as they grow: its size may change, not its
    // items. Everything it reads to compute them must cost the same.
    if (kind === 'output') continue;
    for (const [what, f] of [
      ['RCU (DynamoDB Local)', (q: RollupRead) => q.rcu],
      ['RCU (priced)', (q: RollupRead) => q.rcuPriced],
    ] as const)
      if (sum(x, f) !== sum(y, f))
        problems.push(
          `the county rollup's reads of ${label} must not grow with residents: ${sum(x, f)} ${what} at ` +
            `${a.residentsPerTown.toLocaleString('en')} residents per town, ${sum(y, f)} at ${b.residentsPerTown.toLocaleString('en')}`,
        );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// The child process.

/** A raw call to DynamoDB Local, as calibrate.ts makes them: the DynamoDB client stays inside packages/data. */
async function dynamoCall(endpoint: string, op: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${op}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const out = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${op} failed: ${JSON.stringify(out)}`);
  return out;
}

type Wire = { S?: string; N?: string; BOOL?: boolean; NULL?: boolean; L?: Wire[]; M?: Record<string, Wire> };
/** A value as DynamoDB sends it, as the document client would hand it over (the types this table holds). */
function plain(v: Wire): unknown {
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return Number(v.N);
  if (v.BOOL !== undefined) return v.BOOL;
  if (v.NULL !== undefined) return null;
  if (v.L !== undefined) return v.L.map(plain);
  if (v.M !== undefined) return Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, plain(x)]));
  throw new Error(`an attribute type the bench does not size: ${JSON.stringify(v)}`);
}

/**
 * A Scan of the whole table, page by page, with the capacity DynamoDB Local reports for it, every item
 * sized as `itemSize` sizes it. In 32 parallel segments: DynamoDB Local pages through a segment more
 * slowly the further it is into it (one segment of this table takes minutes), and small segments read
 * the same items for the same capacity.
 */
async function measureScan(endpoint: string, segments = 32): Promise<RollupStage['scan']> {
  const started = performance.now();
  let items = 0;
  let bytes = 0;
  let rcu = 0;
  let pages = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: unknown;
      do {
        const out = (await dynamoCall(endpoint, 'Scan', {
          TableName: ROLLUP_TABLE,
          Segment: segment,
          TotalSegments: segments,
          ReturnConsumedCapacity: 'TOTAL',
          ...(start ? { ExclusiveStartKey: start } : {}),
        })) as { Items?: Array<Record<string, Wire>>; LastEvaluatedKey?: unknown; ConsumedCapacity?: { CapacityUnits?: number } };
        for (const i of out.Items ?? []) bytes += itemSize(plain({ M: i }) as Record<string, unknown>);
        items += out.Items?.length ?? 0;
        rcu += out.ConsumedCapacity?.CapacityUnits ?? 0;
        pages += 1;
        start = out.LastEvaluatedKey;
      } while (start);
    }),
  );
  // Priced as one eventually consistent read of all the bytes: 0.5 RCU per started 4 KB.
  return { items, bytes, rcuPriced: minReadUnits(bytes), rcu, pages, segments, seconds: secondsSince(started) };
}

/** The org chart every bench town gets: the communities, grids and courtyards the sample book names. */
function orgOfBook(people: BookPerson[]) {
  const communities = [...new Set(people.map((p) => p.person.community))];
  const grids = [...new Set(people.map((p) => `${p.person.community}|${p.person.grid}`))];
  const yards = [
    ...new Set(people.filter((p) => p.person.courtyard).map((p) => `${p.person.community}|${p.person.grid}|${p.person.courtyard}`)),
  ];
  const id = (list: string[], prefix: string, key: string) => {
    const n = list.indexOf(key);
    if (n < 0) throw new Error(`the org chart has no ${key}`);
    return `${prefix}${n + 1}`;
  };
  return {
    communities,
    grids,
    yards,
    communityId: (name: string) => id(communities, 'c', name),
    gridId: (community: string, grid: string) => id(grids, 'g', `${community}|${grid}`),
    yardId: (community: string, grid: string, yard: string) => id(yards, 'y', `${community}|${grid}|${yard}`),
  };
}
type Org = ReturnType<typeof orgOfBook>;

const principalOf = (townId: string): TownPrincipal => ({
  kind: 'town',
  userId: `${townId}.admin`,
  username: `${townId}.admin`,
  role: 'town_admin',
  townId,
  scope: FIRST_ADMIN_SCOPE,
});

/** Provisions a town as the county does (registry entry, status, configuration, first admin, counters). */
const provision = (t: (typeof EXTRA_TOWNS)[number]) => provisionTown(t.townId, t.spec, 'county.admin', NOW);

/** Gives the first town the book's org chart, record by record, as its admin would (one transaction each). */
async function buildOrg(t: (typeof EXTRA_TOWNS)[number], org: Org) {
  const town = forTown(t.townId);
  const actor = t.spec.admin.username;
  for (const c of org.communities)
    await town.addCommunity({ communityId: org.communityId(c), name: c, kind: c.endsWith('村') ? 'village' : 'community' }, actor, NOW);
  for (const g of org.grids) {
    const [c, name] = g.split('|') as [string, string];
    const gridId = org.gridId(c, name);
    await town.addGrid({ gridId, communityId: org.communityId(c), name, code: gridId.toUpperCase() }, actor, NOW);
  }
  for (const y of org.yards) {
    const [c, g, name] = y.split('|') as [string, string, string];
    await town.addCourtyard({ courtyardId: org.yardId(c, g, name), gridId: org.gridId(c, g), name }, actor, NOW);
  }
}

/**
 * The other towns get copies of the first town's org records, as the data package wrote them (their
 * ids and names hold no town), under their own partition key, with the town counters those records
 * move. One transaction per record for 50 towns would take minutes on DynamoDB Local.
 */
async function copyOrg(from: string, to: string) {
  const source = townKeys(from);
  const target = townKeys(to);
  const records = (await queryAll<Item>(source.orgPk)).map((i): Item => ({ ...i, pk: target.orgPk }));
  await batchPutAll(records);
  const count = (type: string) => records.filter((r) => r.type === type).length;
  await commitChange({
    writes: [],
    audit: [],
    counters: [
      { key: target.counters('TOWN'), deltas: { communities: count('Community'), grids: count('Grid'), courtyards: count('Courtyard') } },
    ],
  });
}

/**
 * One town's share of the book: each household and person made into the change the product commits,
 * of which the records are returned for BatchWriteItem and the counter moves added up; a household's
 * member count goes on the household itself (created at 0 and moved by its members' changes).
 */
async function townLoad(townId: string, people: BookPerson[], org: Org): Promise<{ records: Item[]; counters: Change['counters'] }> {
  const vault = await townVault(townId);
  const { changes } = bookOf(principalOf(townId));
  const moves: NonNullable<Change['counters']> = [];
  const homes = new Map<string, Item & { householdId: string; gridId: string; communityId: string; courtyardId?: string }>();
  const persons: Item[] = [];
  for (const { person: r } of people) {
    let home = homes.get(r.householdNo);
    if (!home) {
      const gridId = org.gridId(r.community, r.grid);
      const stored = {
        householdId: `h-${newId(Date.parse(NOW)).toLowerCase()}`,
        gridId,
        communityId: org.communityId(r.community),
        ...(r.courtyard ? { courtyardId: org.yardId(r.community, r.grid, r.courtyard) } : {}),
        code: r.householdNo,
        door: r.door ?? '—',
        members: 0,
        status: 'active' as const,
        version: 1,
        createdAt: NOW,
      };
      const change = changes.newHouseholdChange(stored);
      const created = change.writes.find((w) => w.kind === 'create' && w.item.type === 'Household');
      if (created?.kind !== 'create') throw new Error('a new household change without its household record');
      home = { ...created.item, ...stored };
      homes.set(r.householdNo, home);
      moves.push(...(change.counters ?? []));
    }
    const change = changes.newPersonChange(
      {
        personId: `p-${newId(Date.parse(NOW)).toLowerCase()}`,
        householdId: home.householdId,
        gridId: home.gridId,
        communityId: home.communityId,
        ...(home.courtyardId ? { courtyardId: home.courtyardId } : {}),
        name: r.name,
        gender: r.gender,
        ...(r.ethnicity ? { ethnicity: r.ethnicity } : {}),
        birthDate: r.birthDate,
        idMasked: maskIdNumber(r.idNumber),
        idEnc: vault.encrypt('idNumber', r.idNumber),
        idHash: vault.lookupHash('idNumber', r.idNumber),
        ...(r.phone ? { phoneMasked: maskPhone(r.phone), phoneEnc: vault.encrypt('phone', r.phone) } : {}),
        relation: r.relation ?? '—',
        residenceType: r.residenceType,
        tags: r.tags,
        keyTags: r.keyTags,
        ...(r.arrivalDate ? { floating: { arrivalDate: r.arrivalDate } } : {}),
        ...(r.note ? { note: r.note } : {}),
        status: 'active',
        version: 1,
        createdAt: NOW,
        updatedAt: NOW,
      },
      NOW,
    );
    const created = change.writes.find((w) => w.kind === 'create' && w.item.type === 'Person');
    if (created?.kind !== 'create') throw new Error('a new person change without its person record');
    persons.push({ ...created.item });
    moves.push(...(change.counters ?? []));
  }
  const merged = mergeCounters(moves);
  const householdPk = (h: Item) => `${h.pk}|${h.sk}`;
  const byKey = new Map([...homes.values()].map((h) => [householdPk(h), h]));
  const counters: NonNullable<Change['counters']> = [];
  for (const m of merged) {
    const home = byKey.get(`${m.key.pk}|${m.key.sk}`);
    if (!home) {
      counters.push(m);
      continue;
    }
    const { members, ...rest } = m.deltas;
    if (members === undefined || Object.keys(rest).length > 0) throw new Error(`an unexpected move on household ${m.key.sk}`);
    home.members = Number(home.members) + members;
  }
  return { records: [...homes.values(), ...persons], counters };
}

/** Writes one stage's residents into every town; returns the items written. */
async function loadStage(towns: typeof EXTRA_TOWNS, people: BookPerson[], org: Org, arrivals: boolean): Promise<number> {
  let written = 0;
  const queue = [...towns];
  await Promise.all(
    Array.from({ length: LOAD_PARALLEL }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        const { records, counters = [] } = await townLoad(t.townId, people, org);
        await batchPutAll(records);
        // As the recount's fix commits them: up to 90 counter items per transaction.
        for (let i = 0; i < counters.length; i += 90) await commitChange({ writes: [], audit: [], counters: counters.slice(i, i + 90) });
        written += records.length + counters.length;
        if (arrivals) await recordArrivals(t.townId, records);
      }
    }),
  );
  return written;
}

/**
 * Records floating residents of the town arriving in the period through the book's own move (the
 * person's new version, a history event, an audit entry and the month's counter), so the month's
 * counter item the rollup reads exists, as it does in a town where people come and go.
 */
async function recordArrivals(townId: string, records: Item[]) {
  const book = bookOf(principalOf(townId));
  const floating = records.filter((r) => r.type === 'Person' && r.residenceType === 'floating').slice(0, ARRIVALS_PER_TOWN);
  if (floating.length < ARRIVALS_PER_TOWN) throw new Error(`${townId} has fewer than ${ARRIVALS_PER_TOWN} floating residents`);
  for (const [n, p] of floating.entries())
    await book.movePerson(
      String(p.gridId),
      String(p.householdId),
      String(p.personId),
      { version: Number(p.version), kind: 'arrival', on: `${ROLLUP_PERIOD}-${String(3 + 10 * n).padStart(2, '0')}` },
      NOW,
    );
}

type Totals = { people: number; households: number };

/** Runs the rollup of the period (`runRollup`, what the rollup jobs run) and measures every call it makes. */
async function measureRollup(period: string, perTown: Totals): Promise<RollupStage['rollup']> {
  const seen: CommandObservation[] = [];
  const counterReads = { items: 0, bytes: 0, rcuPriced: 0 };
  const stop = observeCommands((o) => seen.push(o));
  const started = performance.now();
  let result: Awaited<ReturnType<typeof runRollup>>;
  try {
    result = await runRollup(period, {
      now: NOW,
      // The default reader (one BatchGetItem), counting what it returns: a key that finds nothing is billed 0.5 RCU.
      readCounters: async (_townId, keys) => {
        const items = await batchGetAll<Item>(keys);
        counterReads.items += items.length;
        for (const i of items) {
          const size = itemSize(i);
          counterReads.bytes += size;
          counterReads.rcuPriced += minReadUnits(size);
        }
        counterReads.rcuPriced += 0.5 * (keys.length - items.length);
        return items;
      },
    });
  } finally {
    stop();
  }
  const seconds = secondsSince(started);
  const reads = seen.filter((o) => ['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems'].includes(o.operation));
  const other = reads.filter((o) => o.operation !== 'Query' && o.operation !== 'BatchGetItem');
  if (other.length > 0)
    throw new Error(`the rollup made ${other.map((o) => o.operation).join(', ')}: only Query and BatchGetItem are expected`);

  const rows: RollupRead[] = [];
  const kindOf = (pk: string): RollupReadKind => {
    if (pk === platformKeys.townsPk) return 'registry';
    if (pk === platformKeys.rollupPk(previousPeriod(period))) return 'previous';
    if (pk === platformKeys.rollupPk(period)) return 'output';
    throw new Error(`the rollup queried ${pk}, which the bench does not expect`);
  };
  for (const o of reads.filter((x) => x.operation === 'Query')) {
    const pk = o.partitionKeys[0] ?? '';
    // The partition as it stands after the run is what the Query read: the run writes nothing there after reading it.
    const items = await queryAll<Item>(pk, pk === platformKeys.townsPk ? 'TOWN#' : undefined);
    const bytes = items.reduce((n, i) => n + itemSize(i), 0);
    rows.push({
      kind: kindOf(pk),
      operation: 'Query',
      calls: 1,
      keys: items.length,
      items: items.length,
      bytes,
      rcu: o.consumed.read,
      rcuPriced: minReadUnits(bytes),
    });
  }
  const batches = reads.filter((x) => x.operation === 'BatchGetItem');
  rows.push({
    kind: 'counters',
    operation: 'BatchGetItem',
    calls: batches.length,
    keys: batches.reduce((n, o) => n + o.partitionKeys.length, 0),
    items: counterReads.items,
    bytes: counterReads.bytes,
    rcu: batches.reduce((n, o) => n + o.consumed.read, 0),
    rcuPriced: counterReads.rcuPriced,
  });

  const view = await readRollup(period);
  const townsOff = (view?.towns ?? [])
    .filter((t) => t.metrics?.people !== perTown.people || t.metrics?.households !== perTown.households)
    .map((t) => String(t.townId));
  return {
    seconds,
    calls: seen.length,
    readCalls: reads.length,
    itemsRead: rows.reduce((n, r) => n + r.items, 0),
    rcu: rows.reduce((n, r) => n + r.rcu, 0),
    rcuPriced: rows.reduce((n, r) => n + r.rcuPriced, 0),
    wcu: seen.reduce((n, o) => n + o.consumed.write, 0),
    reads: rows,
    towns: result.towns,
    failed: result.failed.length,
    countyPeople: Number(view?.county.metrics?.people ?? 0),
    countyHouseholds: Number(view?.county.metrics?.households ?? 0),
    townsOff,
  };
}

async function child(outFile: string) {
  const started = performance.now();
  // For this long, write-heavy run: the full JIT (startDynamo's default stops it early to start sooner) and a heap that need
  // not grow under the load; with the default collector and heap the second load and Scan took about twice as long.
  process.env.JAVA_TOOL_OPTIONS = '-XX:+UseParallelGC -Xms3g -Xmn1g';
  const dynamo = await startDynamo();
  process.env.GRIDLINE_DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.GRIDLINE_TABLE = ROLLUP_TABLE;
  process.env.GRIDLINE_CURSOR_SECRET = randomBytes(24).toString('base64url');
  process.env.GRIDLINE_MASTER_KEY = randomBytes(32).toString('base64');
  const reports = mkdtempSync(join(tmpdir(), 'gridline-bench-rollup-'));
  process.env.GRIDLINE_REPORTS_DIR = reports;
  try {
    await ensureTable();
    const last = ROLLUP_STAGES[ROLLUP_STAGES.length - 1] as number;
    const book = importBook(generateBook({ series: last / SAMPLE_ROWS, firstSeries: 1 }).bytes, { today: NOW.slice(0, 10) });
    if (book.people.length !== last || book.rejected.length > 0)
      throw new Error(`the generated book has ${book.people.length} people and ${book.rejected.length} refused rows`);
    const org = orgOfBook(book.people);
    const towns = EXTRA_TOWNS.slice(0, ROLLUP_TOWNS);
    if (towns.length !== ROLLUP_TOWNS) throw new Error(`fixtures.ts names ${towns.length} towns, not ${ROLLUP_TOWNS}`);
    const [first, ...others] = towns as [(typeof towns)[number], ...typeof towns];
    await provision(first);
    await buildOrg(first, org);
    const queue = [...others];
    await Promise.all(
      Array.from({ length: LOAD_PARALLEL }, async () => {
        for (let t = queue.shift(); t; t = queue.shift()) {
          await provision(t);
          await copyOrg(first.townId, t.townId);
        }
      }),
    );
    const setupSeconds = secondsSince(started);
    say(
      `rollup: ${towns.length} towns provisioned, each with ${org.communities.length} communities, ${org.grids.length} grids and ` +
        `${org.yards.length} courtyards, in ${setupSeconds.toFixed(1)} s`,
    );

    const stages: RollupStage[] = [];
    let from = 0;
    let households = 0;
    for (const residents of ROLLUP_STAGES) {
      const people = book.people.slice(from, residents);
      const t = performance.now();
      const items = await loadStage(towns, people, org, from === 0);
      const load = { items, seconds: secondsSince(t) };
      households += new Set(people.map((p) => p.person.householdNo)).size;
      say(`rollup: ${residents} residents per town: wrote ${items} items in ${load.seconds.toFixed(1)} s`);
      from = residents;
      const rollup = await measureRollup(ROLLUP_PERIOD, { people: residents, households });
      say(
        `rollup: ${rollup.itemsRead} items read in ${rollup.readCalls} read calls (${rollup.calls} calls in all), ` +
          `${rollup.rcu} RCU reported, ${rollup.rcuPriced} priced, ${rollup.seconds.toFixed(2)} s`,
      );
      const scan = await measureScan(dynamo.endpoint);
      say(
        `rollup: a Scan of the table reads ${scan.items} items, ${(scan.bytes / 1e6).toFixed(1)} MB: ${scan.rcuPriced} RCU priced, ` +
          `${scan.rcu} reported, ${scan.seconds.toFixed(1)} s`,
      );
      const recount: RollupStage['recount'] = [];
      for (const town of towns.filter((_, i) => i % RECOUNT_EVERY === 0)) {
        const r = await recountTown(town.townId);
        recount.push({ townId: town.townId, drift: r.drift.length, people: r.people, households: r.households });
      }
      say(`rollup: recounted ${recount.map((r) => `${r.townId} (drift ${r.drift})`).join(', ')}`);
      stages.push({
        residentsPerTown: residents,
        people: residents * towns.length,
        households: households * towns.length,
        load,
        rollup,
        scan,
        recount,
      });
    }
    const result: RollupScale = {
      towns: towns.length,
      period: ROLLUP_PERIOD,
      org: { communities: org.communities.length, grids: org.grids.length, courtyards: org.yards.length },
      arrivalsPerTown: ARRIVALS_PER_TOWN,
      stages,
      setupSeconds,
      seconds: secondsSince(started),
    };
    writeFileSync(outFile, JSON.stringify(result));
  } finally {
    await dynamo.stop();
    rmSync(reports, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: rollup.ts <result.json>');
  await child(out);
}
