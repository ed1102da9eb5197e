import type { TownSpec } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { scanAll } from '../admin';
import { observeCommands } from '../client';
import { platformKeys, townKeys } from '../keys';
import { batchGetAll, batchPutAll, commitChange, commitInChunks, getItem, queryPage } from '../ops';
import { runInScope } from '../scope';
import { forTown } from './town';
import { provisionTown, setTownStatus } from './registry';

const spec = (over: Partial<TownSpec> = {}): TownSpec => ({
  name: '虹桥镇',
  kind: 'town',
  admin: { username: 'hongqiao.admin', displayName: '李明' },
  ...over,
});
const NOW = '2026-11-28T02:00:00.000Z';

describe('towns on DynamoDB Local', () => {
  it('provisions a town with its defaults, first admin, audit entries and counters in one go', async () => {
    const { created, town } = await provisionTown('hongqiao', spec(), 'county.admin', NOW);
    expect(created).toBe(true);
    expect(town.status).toBe('active');
    const t = forTown('hongqiao');
    const config = await t.config();
    expect(config.posts).toHaveLength(7);
    expect(config.posts.map((p) => p.label.zh)).toContain('人民调解员');
    expect(config.sla.grid).toEqual({ acceptWorkingDays: 1, resolveWorkingDays: 5 });
    expect(config.visitCycles.householdDays).toBe(30);
    expect((await t.staffPage(10, undefined)).items).toEqual([
      expect.objectContaining({ username: 'hongqiao.admin', role: 'town_admin', displayName: '李明' }),
    ]);
    expect(await t.counters()).toEqual({ staff: 1, posts_active: 7 });
    const items = await scanAll();
    const audits = items.filter((i) => i.type === 'Audit' && i.target === 'hongqiao');
    expect(audits.map((a) => String(a.pk).split('#')[0])).toEqual(expect.arrayContaining(['P', 'T']));
    // Every town item of the new town sits under its prefix; platform items under P#.
    for (const i of items.filter((x) => JSON.stringify(x).includes('hongqiao')))
      expect(String(i.pk).startsWith('T#hongqiao#') || String(i.pk).startsWith('P#')).toBe(true);
  });

  it('is idempotent for the same spec and refuses a different one', async () => {
    await provisionTown('dayan', spec({ name: '大雁镇', admin: { username: 'dayan.admin', displayName: '赵红' } }), 'c', NOW);
    const before = await scanAll();
    const again = await provisionTown('dayan', spec({ name: '大雁镇', admin: { username: 'dayan.admin', displayName: '赵红' } }), 'c', NOW);
    expect(again.created).toBe(false);
    expect(await scanAll()).toHaveLength(before.length);
    await expect(
      provisionTown('dayan', spec({ name: '大雁乡', admin: { username: 'dayan.admin', displayName: '赵红' } }), 'c', NOW),
    ).rejects.toMatchObject({
      status: 409,
      code: 'town.conflict',
    });
  });

  it('provisions once when two identical requests race', async () => {
    const s = spec({ name: '双河镇', admin: { username: 'shuanghe.admin', displayName: '钱进' } });
    const results = await Promise.all([provisionTown('shuanghe', s, 'c', NOW), provisionTown('shuanghe', s, 'c', NOW)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const counters = await getItem<Record<string, number>>(townKeys('shuanghe').counters('TOWN'), { consistent: true });
    expect(counters?.staff).toBe(1);
  });

  it('suspends and resumes, keeping registry and town status in step and counting active towns', async () => {
    await provisionTown('xishan', spec({ name: '西山镇', admin: { username: 'xishan.admin', displayName: '孙丽' } }), 'c', NOW);
    const countBefore = (await getItem<{ townsActive: number }>(platformKeys.counters(), { consistent: true }))?.townsActive ?? 0;
    const s = await setTownStatus('xishan', 'suspended', 'c', NOW);
    expect(s.status).toBe('suspended');
    expect(await forTown('xishan').status()).toBe('suspended');
    // Suspending again changes nothing (and writes nothing).
    const v = (await getItem<{ version: number }>(platformKeys.town('xishan'), { consistent: true }))?.version;
    await setTownStatus('xishan', 'suspended', 'c', NOW);
    expect((await getItem<{ version: number }>(platformKeys.town('xishan'), { consistent: true }))?.version).toBe(v);
    expect((await getItem<{ townsActive: number }>(platformKeys.counters(), { consistent: true }))?.townsActive).toBe(countBefore - 1);
    await setTownStatus('xishan', 'active', 'c', NOW);
    expect(await forTown('xishan').status()).toBe('active');
  });

  it('answers 404 for a town that does not exist', async () => {
    await expect(setTownStatus('nowhere', 'suspended', 'c', NOW)).rejects.toMatchObject({ status: 404, code: 'town.not_found' });
  });
});

describe('writes', () => {
  it('refuse an update at a stale version with 409 and leave nothing half-written', async () => {
    const key = { pk: 'T#vtest#THING', sk: 'A' };
    await commitChange({ writes: [{ kind: 'create', item: { ...key, type: 'Thing', name: 'a' } }], audit: [] });
    await commitChange({ writes: [{ kind: 'update', key, set: { name: 'b' }, version: 1 }], audit: [] });
    const counter = townKeys('vtest').counters('TOWN');
    await expect(
      commitChange({
        writes: [{ kind: 'update', key, set: { name: 'c' }, version: 1 }],
        audit: [{ key: townKeys('vtest').audit(NOW, 'x1'), actor: 'u', action: 'thing.rename', target: 'A', at: NOW }],
        counters: [{ key: counter, deltas: { things: 5 } }],
      }),
    ).rejects.toMatchObject({ status: 409, code: 'conflict.version' });
    expect(await getItem(key, { consistent: true })).toMatchObject({ name: 'b', version: 2 });
    expect(await getItem(counter, { consistent: true })).toBeUndefined();
    expect(await getItem(townKeys('vtest').audit(NOW, 'x1'), { consistent: true })).toBeUndefined();
  });

  it('commits many changes in as few transactions as fit, merging their counter moves', async () => {
    const counter = townKeys('chunks').counters('TOWN');
    const changes = Array.from({ length: 120 }, (_, i) => ({
      writes: [{ kind: 'create' as const, item: { pk: 'T#chunks#ROW', sk: String(i).padStart(4, '0'), type: 'Row' } }],
      audit: [],
      counters: [{ key: counter, deltas: { rows: 1 } }],
    }));
    let transactions = 0;
    const stop = observeCommands((o) => o.operation === 'TransactWriteItems' && transactions++);
    try {
      await commitInChunks(changes);
    } finally {
      stop();
    }
    expect(transactions).toBe(2);
    expect(await getItem(counter, { consistent: true })).toMatchObject({ rows: 120 });
  });

  it('batch helpers move more items than one batch holds', async () => {
    const items = Array.from({ length: 130 }, (_, i) => ({ pk: 'T#bulk#ITEM', sk: String(i).padStart(4, '0'), n: i }));
    await batchPutAll(items);
    const got = await batchGetAll(items.map(({ pk, sk }) => ({ pk, sk })));
    expect(got).toHaveLength(130);
  });
});

describe('the tenancy guard', () => {
  it('refuses a key outside the request scope, and a Scan, while serving a request', async () => {
    const seen: string[] = [];
    const stop = observeCommands((o) => o.scope && seen.push(o.operation));
    try {
      await runInScope({ requestId: 'r1', tenant: 'qingshi', allowedPrefixes: ['T#qingshi#'] }, async () => {
        await expect(getItem(townKeys('taoyuan').meta())).rejects.toMatchObject({ code: 'internal.tenant_scope', status: 500 });
        await expect(scanAll()).rejects.toMatchObject({ code: 'internal.tenant_scope' });
        await expect(getItem(townKeys('qingshi').meta())).resolves.toBeUndefined();
      });
    } finally {
      stop();
    }
    expect(seen).toEqual(['GetItem', 'Scan', 'GetItem']);
  });

  it('binds a page cursor to the partition it was made for', async () => {
    await batchPutAll(Array.from({ length: 5 }, (_, i) => ({ pk: 'T#pages#LIST', sk: `I#${i}` })));
    const first = await runInScope({ requestId: 'r', tenant: 'pages', allowedPrefixes: ['T#pages#'] }, () =>
      queryPage({ pk: 'T#pages#LIST', limit: 2, listing: 'l' }),
    );
    expect(first.nextCursor).toBeTruthy();
    const second = await runInScope({ requestId: 'r', tenant: 'pages', allowedPrefixes: ['T#pages#'] }, () =>
      queryPage({ pk: 'T#pages#LIST', limit: 2, listing: 'l', cursor: first.nextCursor ?? undefined }),
    );
    expect(second.items.map((i) => i.sk)).toEqual(['I#2', 'I#3']);
    await expect(
      runInScope({ requestId: 'r', tenant: 'pages', allowedPrefixes: ['T#pages#'] }, () =>
        queryPage({ pk: 'T#pages#OTHER', limit: 2, listing: 'l', cursor: first.nextCursor ?? undefined }),
      ),
    ).rejects.toMatchObject({ status: 400, code: 'cursor.invalid' });
  });
});
