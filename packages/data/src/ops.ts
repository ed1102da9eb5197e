import type { BatchGetCommand, BatchWriteCommand, QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@gridline/domain';
import { client, unavailableError } from './client';
import { idempotencyMarker } from './idempotency';
import { dataConfig } from './config';
import { decodeCursor, encodeCursor } from './cursor';
import type { Key } from './keys';
import { currentScope } from './scope';
import type { IndexName } from './table';

export type Item = Record<string, unknown>;
const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type']);

/** An item without its storage attributes (keys, index keys, type tag). */
export function publicFields<T>(item: Item): T {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.has(k)) out[k] = v;
  return out as T;
}

/** Reads one item; eventually consistent unless asked (half the cost). */
export async function getItem<T = Item>(key: Key, opts: { consistent?: boolean } = {}): Promise<T | undefined> {
  const { doc, tableName, commands } = await client();
  const out = await doc.send(
    new commands.GetCommand({ TableName: tableName, Key: key, ConsistentRead: opts.consistent ?? false, ReturnConsumedCapacity: 'TOTAL' }),
  );
  return out.Item as T | undefined;
}

export type PageRequest = {
  /** Partition key value on the table, or on `index`. */
  pk: string;
  index?: IndexName;
  skPrefix?: string;
  /** Sort keys from `from` to `to`, both included (instead of a prefix). */
  skBetween?: [string, string];
  limit: number;
  cursor?: string | undefined;
  /** Names the listing, so a cursor of one listing is refused by another. */
  listing: string;
  forward?: boolean;
};
export type Page<T> = { items: T[]; nextCursor: string | null };

/** One page of a Query, with a signed cursor bound to the caller's tenant and this listing. */
export async function queryPage<T = Item>(req: PageRequest): Promise<Page<T>> {
  const { doc, tableName, commands } = await client();
  const secret = dataConfig().cursorSecret;
  const tenant = currentScope()?.tenant ?? 'admin';
  const pkAttr = req.index ? `${req.index}pk` : 'pk';
  const skAttr = req.index ? `${req.index}sk` : 'sk';
  const sk = req.skBetween
    ? { cond: ' AND #sk BETWEEN :from AND :to', values: { ':from': req.skBetween[0], ':to': req.skBetween[1] } }
    : req.skPrefix
      ? { cond: ' AND begins_with(#sk, :sk)', values: { ':sk': req.skPrefix } }
      : undefined;
  const input: QueryCommandInput = {
    TableName: tableName,
    KeyConditionExpression: `#pk = :pk${sk?.cond ?? ''}`,
    ExpressionAttributeNames: sk ? { '#pk': pkAttr, '#sk': skAttr } : { '#pk': pkAttr },
    ExpressionAttributeValues: { ':pk': req.pk, ...sk?.values },
    Limit: req.limit,
    ScanIndexForward: req.forward ?? true,
    ReturnConsumedCapacity: 'TOTAL',
    ...(req.index ? { IndexName: req.index } : {}),
  };
  if (req.cursor) {
    const start = decodeCursor(secret, tenant, req.listing, req.cursor);
    // The start key must lie in the same partition as the query: a cursor cannot move a listing elsewhere.
    if (start[pkAttr] !== req.pk)
      throw new AppError('cursor.invalid', 400, 'The page cursor is not valid here.', { field: 'query.cursor' });
    input.ExclusiveStartKey = start;
  }
  const out = await doc.send(new commands.QueryCommand(input));
  const items = (out.Items ?? []) as T[];
  const next = out.LastEvaluatedKey && items.length === req.limit ? encodeCursor(secret, tenant, req.listing, out.LastEvaluatedKey) : null;
  return { items, nextCursor: next };
}

/** Every item of a small partition (configuration, the org chart), following pages internally. */
export async function queryAll<T = Item>(pk: string, skPrefix?: string, opts: { consistent?: boolean } = {}): Promise<T[]> {
  const { doc, tableName, commands } = await client();
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new commands.QueryCommand({
        TableName: tableName,
        KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
        ExpressionAttributeValues: skPrefix ? { ':pk': pk, ':sk': skPrefix } : { ':pk': pk },
        ExclusiveStartKey: start,
        ConsistentRead: opts.consistent ?? false,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    items.push(...((out.Items ?? []) as T[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

// ---------------------------------------------------------------------------------------------------
// Writes: one change = the items it writes + its audit entry + the counters it moves, in one transaction.

export type Write =
  /** A new item; fails with 409 if it exists. */
  | { kind: 'create'; item: Item & Key; conflictCode?: string }
  /**
   * Replaces fields of an existing item at `version`, bumping it; 409 on a lost race. Fields not named
   * stay as they are (counters kept on the item among them); `unset` removes fields, `expect` adds
   * conditions of equality on other fields.
   */
  | { kind: 'update'; key: Key; set: Item; version: number; unset?: string[]; expect?: Item }
  /** Replaces an item that must still be at `version` (the new item carries the next version). */
  | { kind: 'replace'; item: Item & Key; version: number }
  /** Deletes an item at `version` (409 on a lost race); used when a record changes partition. */
  | { kind: 'delete'; key: Key; version: number }
  /** Deletes an index entry whatever it holds. */
  | { kind: 'remove'; key: Key }
  /** Requires an item to exist (and, unless `anyStatus`, not be retired); 404 with `code` otherwise. */
  | { kind: 'check'; key: Key; code: string; message: string; anyStatus?: boolean }
  /** Sets fields of an existing item whatever its version, bumping it: for copies that follow a record. */
  | { kind: 'patch'; key: Key; set: Item }
  /** Creates or overwrites, unconditionally (idempotent seeds). */
  | { kind: 'put'; item: Item & Key }
  /**
   * Sets fields of an existing item without moving its version, when `expect` holds: for marks a job
   * keeps on a record (a matter's supervision colour, its due) that must not turn a user's next action
   * into a conflict. 409 `conflict.version` when the item changed meanwhile.
   */
  | { kind: 'annotate'; key: Key; set: Item; expect: Item };

export type AuditEntry = { key: Key; actor: string; action: string; target: string; at: string; details?: Item };
/**
 * Counters added to an item. `onlyIf` makes the move conditional on fields of that item (a household
 * must still be active, at the version read, to take a member); otherwise 409 with its code.
 */
export type CounterMove = { key: Key; deltas: Record<string, number>; onlyIf?: CounterCondition };
export type CounterCondition = { expect: Item; code: string; message: string };
/** A per-user allowance (e.g. reveals an hour): the change fails with 429 `quota.exceeded` once it is used up. */
export type Quota = { key: Key; limit: number };
export type Change = { writes: Write[]; audit: AuditEntry[]; counters?: CounterMove[]; quota?: Quota };

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

function toTransactItems(tableName: string, change: Change): TxItem[] {
  const items: TxItem[] = [];
  for (const w of change.writes) {
    if (w.kind === 'create') {
      items.push({
        Put: { TableName: tableName, Item: { version: 1, ...w.item }, ConditionExpression: 'attribute_not_exists(pk)' },
      });
    } else if (w.kind === 'put') {
      items.push({ Put: { TableName: tableName, Item: w.item } });
    } else if (w.kind === 'replace') {
      items.push({
        Put: {
          TableName: tableName,
          Item: w.item,
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': w.version },
        },
      });
    } else if (w.kind === 'delete') {
      items.push({
        Delete: {
          TableName: tableName,
          Key: w.key,
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': w.version },
        },
      });
    } else if (w.kind === 'annotate') {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets = Object.entries(w.set).map(([field, value], n) => {
        names[`#f${n}`] = field;
        values[`:f${n}`] = value;
        return `#f${n} = :f${n}`;
      });
      const conditions = ['attribute_exists(pk)'];
      Object.entries(w.expect).forEach(([field, value], n) => {
        names[`#e${n}`] = field;
        values[`:e${n}`] = value;
        conditions.push(`#e${n} = :e${n}`);
      });
      items.push({
        Update: {
          TableName: tableName,
          Key: w.key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    } else if (w.kind === 'remove') {
      items.push({ Delete: { TableName: tableName, Key: w.key } });
    } else if (w.kind === 'check') {
      items.push({
        ConditionCheck: {
          TableName: tableName,
          Key: w.key,
          ConditionExpression: w.anyStatus
            ? 'attribute_exists(pk)'
            : 'attribute_exists(pk) AND (attribute_not_exists(#s) OR #s <> :retired)',
          ...(w.anyStatus ? {} : { ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':retired': 'retired' } }),
        },
      });
    } else {
      const names: Record<string, string> = { '#v': 'version' };
      const values: Record<string, unknown> = { ':one': 1 };
      const sets: string[] = [];
      Object.entries(w.set).forEach(([field, value], n) => {
        names[`#f${n}`] = field;
        values[`:f${n}`] = value;
        sets.push(`#f${n} = :f${n}`);
      });
      const removes: string[] = [];
      const conditions: string[] = [];
      if (w.kind === 'update') {
        values[':v'] = w.version;
        conditions.push('#v = :v');
        (w.unset ?? []).forEach((field, n) => {
          names[`#u${n}`] = field;
          removes.push(`#u${n}`);
        });
        Object.entries(w.expect ?? {}).forEach(([field, value], n) => {
          names[`#e${n}`] = field;
          values[`:e${n}`] = value;
          conditions.push(`#e${n} = :e${n}`);
        });
      } else conditions.push('attribute_exists(pk)');
      items.push({
        Update: {
          TableName: tableName,
          Key: w.key,
          UpdateExpression: `${sets.length ? `SET ${sets.join(', ')} ` : ''}${removes.length ? `REMOVE ${removes.join(', ')} ` : ''}ADD #v :one`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    }
  }
  for (const a of change.audit) {
    const { key, ...entry } = a;
    items.push({
      Put: {
        TableName: tableName,
        Item: { ...key, type: 'Audit', requestId: currentScope()?.requestId ?? 'job', ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  if (change.quota)
    items.push({
      Update: {
        TableName: tableName,
        Key: change.quota.key,
        UpdateExpression: 'SET #t = :t ADD #c :one',
        ConditionExpression: 'attribute_not_exists(#c) OR #c < :limit',
        ExpressionAttributeNames: { '#t': 'type', '#c': 'used' },
        ExpressionAttributeValues: { ':t': 'Quota', ':one': 1, ':limit': change.quota.limit },
      },
    });
  // One transaction may touch an item once: moves of the same counter are added up first.
  for (const c of mergeCounters(change.counters ?? [])) {
    const names: Record<string, string> = { '#t': 'type' };
    const values: Record<string, unknown> = { ':t': 'Counter' };
    const adds: string[] = [];
    Object.entries(c.deltas).forEach(([metric, delta], i) => {
      names[`#m${i}`] = metric;
      values[`:m${i}`] = delta;
      adds.push(`#m${i} :m${i}`);
    });
    if (adds.length === 0) continue;
    const conditions = Object.entries(c.onlyIf?.expect ?? {}).map(([field, value], i) => {
      names[`#c${i}`] = field;
      values[`:c${i}`] = value;
      return `#c${i} = :c${i}`;
    });
    items.push({
      Update: {
        TableName: tableName,
        Key: c.key,
        // The type is set only on a new counter item: counter moves may also land on a record (a household's members).
        UpdateExpression: `SET #t = if_not_exists(#t, :t) ADD ${adds.join(', ')}`,
        ...(conditions.length ? { ConditionExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
  }
  return items;
}

export const MAX_TRANSACTION_ITEMS = 100;

/** Tries of a transaction that DynamoDB cancels for a conflict with another in-flight transaction. */
export const CONFLICT_RETRY: RetryPolicy = { attempts: 4, baseMs: 20, maxMs: 400 };

/** Commits a change, its audit entries and counter moves together or not at all. */
export async function commitChange(change: Change, opts: { retry?: RetryPolicy } = {}): Promise<void> {
  const { doc, tableName, commands } = await client();
  const items = toTransactItems(tableName, change);
  if (items.length > MAX_TRANSACTION_ITEMS) throw new Error(`A change of ${items.length} items exceeds one transaction`);
  // A request with an idempotency key marks it applied in the same transaction, so a retry after a lost
  // answer knows the change is in even when the answer could not be stored.
  const marker = idempotencyMarker();
  if (marker && items.length < MAX_TRANSACTION_ITEMS) items.push(marker(tableName));
  const retry = opts.retry ?? CONFLICT_RETRY;
  for (let attempt = 0; ; attempt++) {
    try {
      await doc.send(new commands.TransactWriteCommand({ TransactItems: items, ReturnConsumedCapacity: 'TOTAL' }));
      return;
    } catch (e) {
      // A conflict with another transaction says nothing about this change: it is tried again as it is.
      if (onlyConflicts(e) && attempt + 1 < retry.attempts) {
        await (retry.sleep ?? realSleep)(backoffMs(attempt + 1, retry));
        continue;
      }
      if (marker && markerRefused(e, items.length - 1))
        throw new AppError('idempotency.in_progress', 409, 'The same request is already being handled; try again in a moment.');
      throw translateCancellation(e, change);
    }
  }
}

/** Whether the idempotency marker (the last item) failed: another attempt took the key over. */
function markerRefused(e: unknown, index: number): boolean {
  const err = e as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  return err.name === 'TransactionCanceledException' && err.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed';
}

/** A cancellation whose only reasons are conflicts with other transactions (the rest `None`). */
function onlyConflicts(e: unknown): boolean {
  const err = e as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (err.name !== 'TransactionCanceledException') return false;
  const codes = (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  return codes.includes('TransactionConflict') && codes.every((c) => c === 'TransactionConflict' || c === 'None');
}

function translateCancellation(e: unknown, change: Change): unknown {
  const err = e as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (err.name !== 'TransactionCanceledException') return e;
  const reasons = err.CancellationReasons ?? [];
  const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
  if (change.quota && failed === change.writes.length + change.audit.length)
    return new AppError('quota.exceeded', 429, 'The allowance for this is used up; try again later.');
  if (failed >= 0 && failed < change.writes.length) {
    const w = change.writes[failed] as Write;
    if (w.kind === 'check') return new AppError(w.code, 404, w.message);
    if (w.kind === 'create') return new AppError(w.conflictCode ?? 'conflict.exists', 409, 'That record already exists.');
    return new AppError('conflict.version', 409, 'Someone else changed this record first; reload and try again.');
  }
  // Counter moves follow the writes, the audit entries and the quota, merged as toTransactItems wrote them.
  const firstCounter = change.writes.length + change.audit.length + (change.quota ? 1 : 0);
  const counter = failed >= firstCounter ? mergeCounters(change.counters ?? [])[failed - firstCounter] : undefined;
  if (counter?.onlyIf) return new AppError(counter.onlyIf.code, 409, counter.onlyIf.message);
  if (reasons.some((r) => r.Code === 'ThrottlingError')) return unavailableError(e);
  if (reasons.some((r) => r.Code === 'TransactionConflict'))
    return new AppError('conflict.busy', 409, 'The record is being changed by another request; try again.');
  return e;
}

// ---------------------------------------------------------------------------------------------------
// Bulk: batches within DynamoDB's limits, retrying what the service hands back unprocessed.

export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

export type RetryPolicy = { attempts: number; baseMs: number; maxMs: number; sleep?: (ms: number) => Promise<void> };
const defaultRetry: RetryPolicy = { attempts: 8, baseMs: 25, maxMs: 2000 };
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Full-jitter exponential backoff delay for retry `attempt` (0-based). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** attempt));
}

export function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

type Sender = { send: (cmd: BatchGetCommand | BatchWriteCommand) => Promise<Record<string, unknown>> };

/** Reads any number of keys in batches of 100, retrying unprocessed keys with backoff. */
export async function batchGetAll<T = Item>(keys: Key[], opts: { retry?: RetryPolicy; sender?: Sender } = {}): Promise<T[]> {
  const { doc, tableName, commands } = await client();
  const sender = opts.sender ?? (doc as unknown as Sender);
  const retry = opts.retry ?? defaultRetry;
  const found: T[] = [];
  for (const part of chunk(keys, BATCH_GET_LIMIT)) {
    let pending: Key[] = part;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= retry.attempts) throw new AppError('data.throttled', 503, 'The database is busy; try again shortly.');
      if (attempt > 0) await (retry.sleep ?? realSleep)(backoffMs(attempt, retry));
      const out = (await sender.send(
        new commands.BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } }, ReturnConsumedCapacity: 'TOTAL' }),
      )) as { Responses?: Record<string, T[]>; UnprocessedKeys?: Record<string, { Keys?: Key[] }> };
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
}

/**
 * Writes a copy that follows a versioned record, unless the copy kept is already at that version or a
 * later one: copies written late (a slow request) never replace a newer one. Answers whether it wrote.
 */
export async function putIfNewer(item: Item & Key & { version: number }): Promise<boolean> {
  const { doc, tableName, commands } = await client();
  try {
    await doc.send(
      new commands.PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk) OR #v < :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': item.version },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return true;
  } catch (e) {
    if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}
/** Writes any number of items in batches of 25, retrying unprocessed items with backoff. */
export async function batchPutAll(items: Array<Item & Key>, opts: { retry?: RetryPolicy; sender?: Sender } = {}): Promise<void> {
  const { doc, tableName, commands } = await client();
  const sender = opts.sender ?? (doc as unknown as Sender);
  const retry = opts.retry ?? defaultRetry;
  for (const part of chunk(items, BATCH_WRITE_LIMIT)) {
    let pending: Array<Record<string, unknown>> = part.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= retry.attempts) throw new AppError('data.throttled', 503, 'The database is busy; try again shortly.');
      if (attempt > 0) await (retry.sleep ?? realSleep)(backoffMs(attempt, retry));
      const out = (await sender.send(
        new commands.BatchWriteCommand({ RequestItems: { [tableName]: pending as never }, ReturnConsumedCapacity: 'TOTAL' }),
      )) as { UnprocessedItems?: Record<string, Array<Record<string, unknown>>> };
      pending = out.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/** Commits many independent changes, each atomic, in as few transactions as fit in DynamoDB's limit. */
export async function commitInChunks(changes: Change[]): Promise<void> {
  let batch: Change[] = [];
  let items = 0;
  let counterKeys = new Set<string>();
  const flush = async () => {
    if (batch.length === 0) return;
    await commitChange({
      writes: withoutRepeatedChecks(batch.flatMap((c) => c.writes)),
      audit: batch.flatMap((c) => c.audit),
      counters: mergeCounters(batch.flatMap((c) => c.counters ?? [])),
    });
    batch = [];
    items = 0;
    counterKeys = new Set();
  };
  for (const c of changes) {
    // Counter moves of one item merge into one action, so only new counter items add to the size.
    const own = c.writes.length + c.audit.length;
    const newCounters = (c.counters ?? []).map((m) => `${m.key.pk}|${m.key.sk}`).filter((k) => !counterKeys.has(k));
    if (items + own + counterKeys.size + new Set(newCounters).size > MAX_TRANSACTION_ITEMS) await flush();
    batch.push(c);
    items += own;
    for (const m of c.counters ?? []) counterKeys.add(`${m.key.pk}|${m.key.sk}`);
  }
  await flush();
}

/** Several changes may each check the same item (their grid, their courtyard); one check is enough. */
function withoutRepeatedChecks(writes: Write[]): Write[] {
  const seen = new Set<string>();
  return writes.filter((w) => {
    if (w.kind !== 'check') return true;
    const id = `${w.key.pk}|${w.key.sk}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Adds up moves of the same counter item, since a transaction may touch an item only once. */
export function mergeCounters(moves: CounterMove[]): CounterMove[] {
  const byKey = new Map<string, CounterMove>();
  for (const m of moves) {
    const id = `${m.key.pk}|${m.key.sk}`;
    const cur: CounterMove = byKey.get(id) ?? { key: m.key, deltas: {} };
    for (const [k, d] of Object.entries(m.deltas)) cur.deltas[k] = (cur.deltas[k] ?? 0) + d;
    // Conditions of moves on one item all hold, or the transaction fails: they are joined.
    if (m.onlyIf) cur.onlyIf = { ...(cur.onlyIf ?? m.onlyIf), expect: { ...cur.onlyIf?.expect, ...m.onlyIf.expect } };
    byKey.set(id, cur);
  }
  // Moves that cancel out (a person moving within one courtyard) write nothing.
  return [...byKey.values()]
    .map((m) => ({
      key: m.key,
      deltas: Object.fromEntries(Object.entries(m.deltas).filter(([, d]) => d !== 0)),
      ...(m.onlyIf ? { onlyIf: m.onlyIf } : {}),
    }))
    .filter((m) => Object.keys(m.deltas).length > 0);
}
