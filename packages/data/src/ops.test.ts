import { describe, expect, it } from 'vitest';
import { backoffMs, batchGetAll, batchPutAll, chunk, mergeCounters } from './ops';

process.env.GRIDLINE_CURSOR_SECRET ??= 'unit-test-secret-123456';
process.env.GRIDLINE_TABLE = 'unit';

// Throttling cannot be produced by DynamoDB Local, so these tests hand the batch helpers a fake sender
// that returns part of each batch as unprocessed, as DynamoDB does under load.
function throttlingSender(dropFirst: number) {
  const calls: number[] = [];
  return {
    calls,
    send: async (cmd: { input: Record<string, unknown> }) => {
      const requests = (cmd.input.RequestItems as Record<string, unknown>).unit as { Keys?: unknown[] } | unknown[];
      const list = Array.isArray(requests) ? requests : (requests.Keys ?? []);
      calls.push(list.length);
      const keep = calls.length <= dropFirst ? Math.ceil(list.length / 2) : list.length;
      const done = list.slice(0, keep);
      const rest = list.slice(keep);
      if (Array.isArray(requests)) return { UnprocessedItems: rest.length ? { unit: rest } : {} };
      return { Responses: { unit: done }, UnprocessedKeys: rest.length ? { unit: { Keys: rest } } : {} };
    },
  };
}
const noSleep = { attempts: 8, baseMs: 1, maxMs: 2, sleep: async () => undefined };

describe('bulk helpers', () => {
  it('chunk within the limits', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 25)).toEqual([]);
  });

  it('batchGetAll splits into 100s and retries unprocessed keys until all are read', async () => {
    const keys = Array.from({ length: 230 }, (_, i) => ({ pk: `T#a#${i}`, sk: 'x' }));
    const sender = throttlingSender(3);
    const got = await batchGetAll(keys, { sender: sender as never, retry: noSleep });
    expect(got).toHaveLength(230);
    expect(Math.max(...sender.calls)).toBeLessThanOrEqual(100);
    expect(sender.calls.length).toBeGreaterThan(3);
  });

  it('batchPutAll splits into 25s and retries unprocessed items', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ pk: `T#a#${i}`, sk: 'x' }));
    const sender = throttlingSender(2);
    await batchPutAll(items, { sender: sender as never, retry: noSleep });
    expect(Math.max(...sender.calls)).toBeLessThanOrEqual(25);
    expect(sender.calls.reduce((a, b) => a + b, 0)).toBeGreaterThan(60);
  });

  it('gives up with a 503 when the table keeps throttling', async () => {
    const stubborn = { send: async (cmd: { input: Record<string, unknown> }) => ({ UnprocessedItems: cmd.input.RequestItems }) };
    await expect(
      batchPutAll([{ pk: 'T#a#1', sk: 'x' }], { sender: stubborn as never, retry: { ...noSleep, attempts: 3 } }),
    ).rejects.toMatchObject({
      status: 503,
      code: 'data.throttled',
    });
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { attempts: 8, baseMs: 25, maxMs: 2000 };
    expect(backoffMs(0, policy, () => 0.999)).toBeLessThan(25);
    expect(backoffMs(3, policy, () => 0.999)).toBeLessThan(200);
    expect(backoffMs(20, policy, () => 0.999)).toBeLessThan(2000);
    expect(backoffMs(5, policy, () => 0)).toBe(0);
  });

  it('mergeCounters adds moves of the same item', () => {
    const k = { pk: 'T#a#COUNT', sk: 'TOWN' };
    expect(
      mergeCounters([
        { key: k, deltas: { a: 1 } },
        { key: k, deltas: { a: 2, b: -1 } },
      ]),
    ).toEqual([{ key: k, deltas: { a: 3, b: -1 } }]);
  });

  it('mergeCounters keeps the conditions of every move on an item', () => {
    const home = { pk: 'T#a#HH#g', sk: 'H#h' };
    const active = { expect: { status: 'active' }, code: 'household.closed', message: 'closed' };
    const atVersion = { expect: { version: 3 }, code: 'household.changed', message: 'changed' };
    const merged = mergeCounters([
      { key: home, deltas: { members: 1 }, onlyIf: active },
      { key: home, deltas: { members: 1 }, onlyIf: atVersion },
      { key: { pk: 'T#a#COUNT', sk: 'TOWN' }, deltas: { people: 2 } },
    ]);
    expect(merged).toEqual([
      { key: home, deltas: { members: 2 }, onlyIf: { ...active, expect: { status: 'active', version: 3 } } },
      { key: { pk: 'T#a#COUNT', sk: 'TOWN' }, deltas: { people: 2 } },
    ]);
  });
});
