import { createHash } from 'node:crypto';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@gridline/domain';
import { client } from '../client';
import { dataConfig } from '../config';
import { decodeCursor, encodeCursor } from '../cursor';
import type { Item } from '../ops';
import { currentScope } from '../scope';
import type { IndexName } from '../table';

/**
 * One page read from one or more sorted ranges (a place's list on an index, a part of it), merged in
 * order: `rank` first (one range before another), then the sort key. `keep` drops what the caller may
 * not have (a level, a flag); the page then reads on, up to `maxQueries` Query calls in all, so a page
 * may come back short with a cursor, never with an unbounded number of reads (decision 164). A single
 * range with nothing dropped is exactly one Query per page, as `queryPage` is.
 *
 * The cursor holds, per range, where its next read starts (or that it is done), signed and bound to the
 * tenant and the listing like every cursor; a position outside its range's partition is refused.
 */
export type Range = { pk: string; index?: IndexName; from: string; to: string; rank?: number };

/** Where a range's next read starts: done, or after the item with this table key (and index sort key). */
type Position = { d?: 1; a?: [string, string] | [string, string, string] };

const invalid = () => new AppError('cursor.invalid', 400, 'The page cursor is not valid here.', { field: 'query.cursor' });

function keysOf(r: Range): { pk: string; sk: string } {
  return r.index ? { pk: `${r.index}pk`, sk: `${r.index}sk` } : { pk: 'pk', sk: 'sk' };
}

/** The position after `item`, as short as it can be: the index's partition is the range's own. */
function positionAfter(r: Range, item: Item): NonNullable<Position['a']> {
  return r.index ? [String(item.pk), String(item.sk), String(item[keysOf(r).sk])] : [String(item.pk), String(item.sk)];
}

/** The ExclusiveStartKey of a position, refused when it does not lie in the range's partition. */
function startKey(r: Range, a: Position['a']): Record<string, unknown> | undefined {
  if (a === undefined) return undefined;
  if (!Array.isArray(a) || !a.every((x) => typeof x === 'string')) throw invalid();
  const k = keysOf(r);
  if (r.index) {
    if (a.length !== 3) throw invalid();
    return { pk: a[0], sk: a[1], [k.pk]: r.pk, [k.sk]: a[2] };
  }
  if (a.length !== 2 || a[0] !== r.pk) throw invalid();
  return { pk: a[0], sk: a[1] };
}

/** A short name of the ranges a cursor belongs to, so a cursor of one scope or view is refused by another. */
const listingOf = (name: string, ranges: readonly Range[]) =>
  `${name}:${createHash('sha256')
    .update(ranges.map((r) => `${r.index ?? ''}|${r.pk}|${r.from}`).join(','))
    .digest('base64url')
    .slice(0, 22)}`;

export async function mergedPage(opts: {
  ranges: readonly Range[];
  limit: number;
  cursor?: string | undefined;
  listing: string;
  keep?: (item: Item) => boolean;
  maxQueries?: number;
}): Promise<{ items: Item[]; nextCursor: string | null }> {
  const { doc, tableName, commands } = await client();
  const secret = dataConfig().cursorSecret;
  const tenant = currentScope()?.tenant ?? 'admin';
  const listing = listingOf(opts.listing, opts.ranges);
  let positions: Position[] = opts.ranges.map(() => ({}));
  if (opts.cursor) {
    const body = decodeCursor(secret, tenant, listing, opts.cursor) as { p?: unknown };
    if (!Array.isArray(body.p) || body.p.length !== opts.ranges.length) throw invalid();
    positions = body.p.map((raw) => (raw && typeof raw === 'object' ? (raw as Position) : {}));
  }
  const maxQueries = opts.maxQueries ?? Math.max(2, opts.ranges.length * 2);
  const state = opts.ranges.map((r, i) => ({
    r,
    buffer: [] as Item[],
    after: startKey(r, positions[i]?.a),
    position: positions[i]?.a,
    exhausted: positions[i]?.d === 1,
  }));
  let queries = 0;

  async function fetch(s: (typeof state)[number]) {
    const k = keysOf(s.r);
    const input: QueryCommandInput = {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': k.pk, '#sk': k.sk },
      ExpressionAttributeValues: { ':pk': s.r.pk, ':from': s.r.from, ':to': s.r.to },
      Limit: opts.limit,
      ReturnConsumedCapacity: 'TOTAL',
      ...(s.r.index ? { IndexName: s.r.index } : {}),
      ...(s.after ? { ExclusiveStartKey: s.after } : {}),
    };
    queries++;
    const out = await doc.send(new commands.QueryCommand(input));
    s.buffer = (out.Items ?? []) as Item[];
    s.exhausted = !out.LastEvaluatedKey || s.buffer.length === 0;
  }

  const sortOf = (s: (typeof state)[number]) => String((s.buffer[0] as Item)[keysOf(s.r).sk]);
  const before = (a: (typeof state)[number], b: (typeof state)[number]) =>
    (a.r.rank ?? 0) !== (b.r.rank ?? 0) ? (a.r.rank ?? 0) < (b.r.rank ?? 0) : sortOf(a) < sortOf(b);

  const items: Item[] = [];
  while (items.length < opts.limit) {
    const empty = state.filter((s) => s.buffer.length === 0 && !s.exhausted);
    if (empty.length && queries + empty.length > maxQueries) break;
    await Promise.all(empty.map(fetch));
    const ready = state.filter((s) => s.buffer.length > 0);
    if (ready.length === 0) break;
    let next = ready[0] as (typeof state)[number];
    for (const s of ready) if (before(s, next)) next = s;
    const item = next.buffer.shift() as Item;
    next.position = positionAfter(next.r, item);
    next.after = startKey(next.r, next.position);
    if (!opts.keep || opts.keep(item)) items.push(item);
  }

  const finished = state.every((s) => s.exhausted && s.buffer.length === 0);
  const nextCursor = finished
    ? null
    : encodeCursor(secret, tenant, listing, {
        p: state.map((s): Position => (s.exhausted && s.buffer.length === 0 ? { d: 1 } : s.position ? { a: s.position } : {})),
      });
  return { items, nextCursor };
}
