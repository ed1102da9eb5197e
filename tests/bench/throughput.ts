import { performance } from 'node:perf_hooks';
import type { CommandObservation } from '@gridline/data';
import { scanAll } from '@gridline/data/admin';
import { runJob } from '@gridline/functions/jobs';
import { generateBook } from './books';
import { TABLE } from '@gridline/data';
import { type Call, consumedBy, observeRequest, pricedReads, priceWrites, type Snapshot, snapshotOf, WRITES } from './capacity';
import { BENCH_TOWN } from './fixtures';
import { importView, uploadBody, waitForImport } from './imports';

/**
 * Import throughput: a 20,000-row book (the sample repeated 50 times with new ID numbers and household
 * numbers, see books.ts) previewed and committed through the API as the town admin, with the import's
 * production pacing, then the counters recounted.
 */
export const THROUGHPUT_ROWS = 20_000;
/** The importer's default pace when GRIDLINE_IMPORT_WCU_PER_SECOND is unset (packages/data/src/imports.ts). */
export const DEFAULT_IMPORT_WCU_PER_SECOND = 1500;
const FIRST_SERIES = 1;

export type ImportThroughput = {
  fileName: string;
  fileBytes: number;
  rows: number;
  households: number;
  pacing: { setting: string | undefined; wcuPerSecond: number };
  preview: {
    seconds: number;
    rcu: number;
    rcuPriced: number;
    wcu: number;
    calls: number;
    accepted: number;
    rejected: number;
    newHouseholds: number;
  };
  commit: {
    /** From sending the commit to the run reporting `done` (polled every 250 ms). */
    seconds: number;
    rowsPerSecond: number;
    created: number;
    failed: number;
    /** The commit request alone. */
    request: { rcu: number; wcu: number; calls: number };
    /** The background run, as DynamoDB Local reported it. */
    run: { calls: number; rcu: number; rcuPriced: number; wcu: number; transactions: number };
    /**
     * The run's writes priced call by call (see priceCalls): 2 WCU per action of a transaction, 1 WCU per
     * index entry a put writes and per index entry an update rewrites, each item taken at 1 KB; `oversize`
     * adds what items over 1 KB cost beyond that.
     */
    priced: {
      items: number;
      indexEntries: number;
      indexUpdates: number;
      oversize: number;
      total: number;
      perRow: number;
      perSecond: number;
    };
    /** Every item the run created or changed, priced once (the table before and after): a floor. */
    distinct: { created: number; changed: number; total: number; largestBytes: number };
  };
  reconcile: { drift: number; people: number; households: number };
  /** The bench's own full-table reads (before and after the run), for the record: not part of the import. */
  scanSeconds: number;
};

const seconds = (ms: number) => ms / 1000;

export async function measureImportThroughput(
  call: Call,
  token: () => Promise<string>,
  say: (msg: string) => void,
): Promise<ImportThroughput> {
  const setting = process.env.GRIDLINE_IMPORT_WCU_PER_SECOND;
  const pacing = { setting, wcuPerSecond: setting === undefined ? DEFAULT_IMPORT_WCU_PER_SECOND : Number(setting) };
  const book = generateBook({ series: THROUGHPUT_ROWS / 400, firstSeries: FIRST_SERIES, fileName: `book-${THROUGHPUT_ROWS}.csv` });
  say(`import throughput: ${book.rows} rows in ${book.households} households, ${(book.bytes.length / 1e6).toFixed(1)} MB UTF-8 CSV`);

  let scanMs = 0;
  const scan = async () => {
    const t = performance.now();
    const table = snapshotOf(await scanAll());
    scanMs += performance.now() - t;
    return table;
  };
  // Preview: the whole file parsed, validated and matched against the town, in one request.
  const preview = await observeRequest(call, 'import preview', 'POST', '/town/imports', {
    token: await token(),
    body: uploadBody(book.fileName, book.bytes),
  });
  if (preview.res.status !== 201)
    throw new Error(`the ${book.rows}-row preview answered ${preview.res.status}: ${preview.res.text.slice(0, 300)}`);
  const v = importView(preview.res.body, 'preview');
  if (v.stats.rejected > 0 || v.stats.create !== book.rows || v.stats.newHouseholds !== book.households)
    throw new Error(
      `the ${book.rows}-row book does not preview as all new: ${JSON.stringify(v.stats)} ${JSON.stringify(v.issues.slice(0, 5))}`,
    );
  const previewUse = consumedBy(preview.own);
  say(
    `  preview: ${seconds(preview.requestMs).toFixed(1)} s, ${previewUse.rcu} RCU reported, ${pricedReads(preview.own)} priced, ${preview.own.length} calls`,
  );

  // Commit: the request queues the run; the run goes on in the background until it reports done.
  const before = await scan();
  let doneAt = 0;
  let finished: Awaited<ReturnType<typeof waitForImport>> | undefined;
  const started = performance.now();
  const commit = await observeRequest(
    call,
    'import commit',
    'POST',
    `/town/imports/${v.importId}/commit`,
    { token: await token() },
    async (res, c) => {
      if (res.status !== 202) throw new Error(`the commit answered ${res.status}: ${res.text.slice(0, 300)}`);
      finished = await waitForImport(c, await token(), v.importId, { everyMs: 250 });
      doneAt = performance.now();
    },
  );
  const p = finished?.progress;
  if (!p) throw new Error('the import finished without progress');
  const commitSeconds = seconds(doneAt - started);
  say(
    `  commit: ${commitSeconds.toFixed(1)} s, ${(book.rows / commitSeconds).toFixed(0)} rows/s, ${p.created} created, ${p.failed} failed`,
  );

  const after = await scan();
  const priced = priceCalls(commit.background, after);
  const diff = priceWrites(before, after, true);
  const created = diff.items.filter((i) => i.change === 'created');
  // What items over 1 KB cost beyond the 1 KB each the call-by-call count assumed (each created item is written once).
  const oversize = created.reduce((n, i) => n + (i.tableWcu - 2) + (i.indexWcu - i.indexWrites.length), 0);
  if (diff.items.some((i) => i.change === 'deleted')) throw new Error('the import deleted items; priceCalls assumes it does not');
  const total = priced.items * 2 + priced.indexEntries + priced.indexUpdates + oversize;
  const run = consumedBy(commit.background);
  say(
    `  writes: ${total} WCU priced (${priced.items} transaction items, ${priced.indexEntries} + ${priced.indexUpdates} index entries, ` +
      `+${oversize} for items over 1 KB), ` +
      `${run.wcu} reported by DynamoDB Local; reads: ${run.rcu} RCU reported, ${pricedReads(commit.background)} priced`,
  );
  const writeCalls = commit.background.filter((o) => WRITES.has(o.operation));

  const drift = (await runJob({ job: 'reconcile', town: BENCH_TOWN })) as Array<{ drift: number; people: number; households: number }>;
  const town = drift[0];
  if (!town) throw new Error('the reconcile job reported no town');
  say(`  reconcile: drift ${town.drift} (${town.people} people, ${town.households} households)`);

  return {
    fileName: book.fileName,
    fileBytes: book.bytes.length,
    rows: book.rows,
    households: book.households,
    pacing,
    preview: {
      seconds: seconds(preview.requestMs),
      rcu: previewUse.rcu,
      rcuPriced: pricedReads(preview.own),
      wcu: previewUse.wcu,
      calls: preview.own.length,
      accepted: v.stats.accepted,
      rejected: v.stats.rejected,
      newHouseholds: v.stats.newHouseholds,
    },
    commit: {
      seconds: commitSeconds,
      rowsPerSecond: book.rows / commitSeconds,
      created: p.created,
      failed: p.failed,
      request: { ...consumedBy(commit.own), calls: commit.own.length },
      run: {
        calls: commit.background.length,
        rcu: run.rcu,
        rcuPriced: pricedReads(commit.background),
        wcu: run.wcu,
        transactions: writeCalls.length,
      },
      priced: { ...priced, oversize, total, perRow: total / book.rows, perSecond: total / commitSeconds },
      distinct: {
        created: created.length,
        changed: diff.items.length - created.length,
        total: diff.total,
        largestBytes: Math.max(0, ...diff.items.map((i) => i.bytes)),
      },
    },
    reconcile: { drift: town.drift, people: town.people, households: town.households },
    scanSeconds: seconds(scanMs),
  };
}

/**
 * Items and index entries of the run's write calls. A call names, action by action, the partition-key
 * values it touches: the item's own `pk`, then, for a put, the index keys the new item carries
 * (`gsi1pk`, `gsi2pk`). A value that is the `pk` of some item in the table after the run starts an
 * action (an item, whatever the action: DynamoDB bills each action of a transaction, condition checks
 * included); the values after it that are not are that put's index entries. An action naming no index
 * key on an item that has some (a household's member count, updated as people join it) still rewrites
 * its index entries, every index projecting all attributes: those are counted from the share of the
 * partition's items that carry each index key, as the action's own item is not named.
 */
function priceCalls(calls: CommandObservation[], table: Snapshot): { items: number; indexEntries: number; indexUpdates: number } {
  const partitions = new Map<string, { items: number; indexed: number }>();
  for (const i of table.values()) {
    const p = partitions.get(String(i.pk)) ?? { items: 0, indexed: 0 };
    p.items += 1;
    p.indexed += TABLE.globalIndexes.filter((g) => i[g.partitionKey] !== undefined).length;
    partitions.set(String(i.pk), p);
  }
  // Telling items from index entries by their partition-key value needs the two sets to be apart.
  for (const i of table.values())
    for (const g of TABLE.globalIndexes)
      if (i[g.partitionKey] !== undefined && partitions.has(String(i[g.partitionKey])))
        throw new Error(`index key ${String(i[g.partitionKey])} is also an item's pk: items and index entries cannot be told apart`);
  let items = 0;
  let indexEntries = 0;
  let indexUpdates = 0;
  for (const o of calls) {
    if (!WRITES.has(o.operation)) continue;
    if (o.operation !== 'TransactWriteItems') throw new Error(`the import made a ${o.operation}; only transactions are priced here`);
    const keys = o.partitionKeys;
    for (let n = 0; n < keys.length; ) {
      const pk = keys[n++] as string;
      const partition = partitions.get(pk);
      if (!partition) throw new Error(`a write names ${pk} first, which is neither an item's pk nor after one`);
      items += 1;
      let own = 0;
      while (n < keys.length && !partitions.has(keys[n] as string)) {
        own += 1;
        n += 1;
      }
      if (own > 0) indexEntries += own;
      else indexUpdates += partition.indexed / partition.items;
    }
  }
  return { items, indexEntries, indexUpdates: Math.round(indexUpdates) };
}
