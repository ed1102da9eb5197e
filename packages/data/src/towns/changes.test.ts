import { DEFAULT_CATEGORIES, DEFAULT_POSTS, planProvision, planTownStatus, type Town } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { townChanges } from './changes';

// The registry's transaction builders are pure: these tests look at the items, keys and counter moves
// they produce, without DynamoDB (towns.dynamo.test.ts commits the same changes to DynamoDB Local).

const NOW = '2026-11-27T08:00:00.000Z';
const spec = { name: '青石镇', kind: 'town' as const, admin: { username: 'qingshi.admin', displayName: '李梅' } };
const changes = townChanges('qingshi', 'county.admin');

describe('town registry changes', () => {
  it('provisions a town on both sides of the tenancy line, in one transaction', () => {
    const c = changes.provision(planProvision('qingshi', spec, undefined, NOW), NOW);
    const keys = c?.writes.map((w) => (w.kind === 'create' ? `${w.item.pk}|${w.item.sk}` : w.kind));
    expect(keys).toEqual([
      'P#TOWNS|TOWN#qingshi',
      'T#qingshi#META|TOWN',
      'T#qingshi#CONFIG|posts',
      'T#qingshi#CONFIG|sla',
      'T#qingshi#CONFIG|visitCycles',
      'T#qingshi#CONFIG|specialGroups',
      'T#qingshi#CONFIG|keyGroups',
      'T#qingshi#STAFF|USER#qingshi.admin',
      // The post catalogue: the seven default posts, each an item of the catalogue's partition.
      ...DEFAULT_POSTS.map((p) => `T#qingshi#POSTS|P#${p.id}`),
      // The matter categories: the defaults, each an item of the catalogue's partition.
      ...DEFAULT_CATEGORIES.map((m) => `T#qingshi#MCATS|C#${m.categoryId}`),
    ]);
    expect(c?.writes[0]).toMatchObject({ conflictCode: 'town.exists', item: { type: 'Town', status: 'active', version: 1 } });
    expect(c?.writes[1]).toMatchObject({ item: { type: 'TownMeta', townId: 'qingshi', name: '青石镇', status: 'active' } });
    expect(c?.writes.at(-8 - DEFAULT_CATEGORIES.length)).toMatchObject({ item: { type: 'Staff', role: 'town_admin', status: 'active' } });
    expect(c?.audit.map((a) => [a.key.pk.slice(0, 9), a.action, 'details' in a])).toEqual([
      ['P#AUDIT#2', 'town.provision', true],
      ['T#qingshi', 'town.provision', false],
    ]);
    expect(c?.counters).toEqual([
      { key: { pk: 'P#COUNT', sk: 'COUNTY' }, deltas: { towns: 1, townsActive: 1 } },
      { key: { pk: 'T#qingshi#COUNT', sk: 'TOWN' }, deltas: { staff: 1, posts_active: 7 } },
    ]);
  });

  it('a replay writes nothing', () => {
    const town = planProvision('qingshi', spec, undefined, NOW).town;
    expect(changes.provision(planProvision('qingshi', spec, town, NOW), NOW)).toBeUndefined();
  });

  it('suspends at the version read, the town copy following, and moves the active count', () => {
    const town: Town = { ...planProvision('qingshi', spec, undefined, NOW).town, version: 4 };
    const c = changes.status(planTownStatus(town, 'suspended', NOW), NOW);
    expect(c?.writes).toEqual([
      { kind: 'update', key: { pk: 'P#TOWNS', sk: 'TOWN#qingshi' }, set: { status: 'suspended', updatedAt: NOW }, version: 4 },
      { kind: 'patch', key: { pk: 'T#qingshi#META', sk: 'TOWN' }, set: { status: 'suspended' } },
    ]);
    expect(c?.audit.map((a) => a.action)).toEqual(['town.suspend', 'town.suspend']);
    expect(c?.counters).toEqual([{ key: { pk: 'P#COUNT', sk: 'COUNTY' }, deltas: { townsActive: -1 } }]);
    expect(changes.status(planTownStatus(town, 'active', NOW), NOW)).toBeUndefined();
  });
});
