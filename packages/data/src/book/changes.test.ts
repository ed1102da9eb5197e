import { planClose, planCorrection, planHouseholdChange, planHouseholdClose, planMove } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import type { Item, Write } from '../ops';
import { bookChanges } from './changes';
import type { StoredHousehold, StoredPerson } from './items';

// Transaction builders are pure: these tests look at the items, keys and counter moves they produce,
// without DynamoDB (the API suites commit the same changes to DynamoDB Local).

const T = 'T#qingshi#';
const NOW = '2026-11-27T08:00:00.000Z';
const changes = bookChanges('qingshi', 'admin');

const person = (over: Partial<StoredPerson> = {}): StoredPerson => ({
  personId: 'p1',
  householdId: 'h1',
  gridId: 'g1',
  communityId: 'c1',
  courtyardId: 'y1',
  name: '张三',
  gender: 'male',
  birthDate: '1980-01-01',
  idMasked: '3305**********1234',
  relation: '户主',
  residenceType: 'registered',
  tags: ['elderly'],
  keyTags: ['drugs'],
  status: 'active',
  version: 3,
  idEnc: 'enc',
  idHash: 'HASH',
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});
const household = (over: Partial<StoredHousehold> = {}): StoredHousehold => ({
  householdId: 'h1',
  gridId: 'g1',
  communityId: 'c1',
  courtyardId: 'y1',
  code: 'A-1',
  door: '1单元101室',
  members: 1,
  status: 'active',
  version: 2,
  createdAt: NOW,
  ...over,
});

const keyOf = (w: Write) => ('item' in w ? { pk: w.item.pk, sk: w.item.sk } : w.key);
const shape = (writes: Write[]) => writes.map((w) => `${w.kind} ${keyOf(w).pk} ${keyOf(w).sk}`);

describe('newPersonChange', () => {
  it('writes the ID lock, the record with its index keys, tag entries, events, audit and counters in one change', () => {
    const p = person({ residenceType: 'floating', floating: { arrivalDate: '2026-03-15' } });
    const c = changes.newPersonChange(p, NOW, 2);
    const [lock, record, ...rest] = c.writes;
    expect(lock).toMatchObject({
      kind: 'create',
      conflictCode: 'person.duplicate_id',
      item: { pk: `${T}ID#HASH`, sk: 'ID', personId: 'p1' },
    });
    expect(record).toMatchObject({
      kind: 'create',
      item: {
        pk: `${T}PPL#g1`,
        sk: 'h1#p1',
        type: 'Person',
        gsi1pk: `${T}RES#floating`,
        gsi1sk: 'g1#p1',
        gsi2pk: `${T}NAME#张`,
        gsi2sk: '张三#p1',
      },
    });
    expect(shape(rest).slice(0, 2)).toEqual([`put ${T}TAG#elderly g1#p1`, `put ${T}KTAG#drugs g1#p1`]);
    const events = rest.slice(2).map((w): Item => (w.kind === 'put' ? w.item : {}));
    expect(events.map((e) => [e.pk, e.kind, e.actor])).toEqual([
      [`${T}PEV#p1`, 'created', 'admin'],
      [`${T}PEV#p1`, 'arrival', 'admin'],
    ]);
    // The arrival sorts right after `created` at the same instant.
    expect(events[1]?.eventId).toBe(`${events[0]?.eventId}~arrival`);
    expect(String(events[1]?.sk) > String(events[0]?.sk)).toBe(true);
    expect(c.audit).toMatchObject([{ action: 'person.create', target: 'p1', actor: 'admin', key: { pk: `${T}AUDIT#2026-11-27` } }]);
    expect(c.counters?.[0]).toEqual({
      key: { pk: `${T}HH#g1`, sk: 'H#h1' },
      deltas: { members: 1 },
      onlyIf: { expect: { status: 'active', version: 2 }, code: 'household.changed', message: expect.any(String) },
    });
    expect(c.counters?.slice(1).map((m) => m.key.sk)).toEqual(['TOWN', 'GRID#g1', 'YARD#y1', 'MONTH#2026-03']);
    expect(c.counters?.every((m) => m.key.pk.startsWith(T))).toBe(true);
  });

  it('joins a household without a version read on the condition that it is active (the importer)', () => {
    const c = changes.newPersonChange(person(), NOW);
    expect(c.counters?.[0]?.onlyIf).toMatchObject({ expect: { status: 'active' }, code: 'household.closed' });
  });
});

describe('personChange', () => {
  it('replaces a corrected record in place at its version and rewrites only the tag entries that change', () => {
    const before = person();
    const after = { ...before, tags: ['disabled'], version: 4 };
    const c = changes.replaceChange(before, after, NOW);
    expect(shape(c.writes).slice(0, 4)).toEqual([
      `replace ${T}PPL#g1 h1#p1`,
      `remove ${T}TAG#elderly g1#p1`,
      `put ${T}TAG#disabled g1#p1`,
      `put ${T}KTAG#drugs g1#p1`,
    ]);
    expect(c.writes[0]).toMatchObject({ version: 3 });
    expect(c.audit[0]).toMatchObject({ action: 'person.change', details: { fields: ['tags'] } });
    expect(c.counters).toEqual(changes.personChange(planCorrection(before, after, NOW), 3, NOW).counters);
  });

  it('moves a record to another partition: delete at the version, new record, ID lock follows, both member counts', () => {
    const target = household({ householdId: 'h2', gridId: 'g2', communityId: 'c2', version: 5 });
    const plan = planMove(person(), target, { kind: 'to_household', on: '2026-11-01' });
    const c = changes.personChange(plan, 3, NOW);
    expect(shape(c.writes)).toEqual([
      `delete ${T}PPL#g1 h1#p1`,
      `put ${T}PPL#g2 h2#p1`,
      `put ${T}ID#HASH ID`,
      `remove ${T}TAG#elderly g1#p1`,
      `remove ${T}KTAG#drugs g1#p1`,
      `put ${T}TAG#elderly g2#p1`,
      `put ${T}KTAG#drugs g2#p1`,
      expect.stringMatching(new RegExp(`^put ${T}PEV#p1 2026-11-27T08:00:00.000Z#`)),
    ]);
    expect(c.writes[2]).toMatchObject({ item: { gridId: 'g2', householdId: 'h2' } });
    expect(c.counters?.slice(0, 2)).toMatchObject([
      { key: { pk: `${T}HH#g1`, sk: 'H#h1' }, deltas: { members: -1 } },
      { key: { pk: `${T}HH#g2`, sk: 'H#h2' }, deltas: { members: 1 }, onlyIf: { expect: { status: 'active', version: 5 } } },
    ]);
    expect(c.counters?.[0]).not.toHaveProperty('onlyIf');
  });

  it('closes a record in place, dropping every tag entry, with the departure counter', () => {
    const plan = planClose(person(), { reason: 'moved_away', on: '2026-11-20' }, 'departure');
    const c = changes.personChange(plan, 3, NOW);
    expect(shape(c.writes).slice(0, 3)).toEqual([
      `replace ${T}PPL#g1 h1#p1`,
      `remove ${T}TAG#elderly g1#p1`,
      `remove ${T}KTAG#drugs g1#p1`,
    ]);
    expect(c.writes[0]).toMatchObject({ version: 3, item: { status: 'closed' } });
    expect(c.audit[0]).toMatchObject({ action: 'person.departure', details: { reason: 'moved_away' } });
    expect(c.counters?.at(-1)).toEqual({ key: { pk: `${T}COUNT`, sk: 'MONTH#2026-11' }, deltas: { departures: 1 } });
  });
});

describe('household changes', () => {
  it('creates a household indexed by courtyard, checks the courtyard and locks its number', () => {
    const c = changes.newHouseholdChange(household({ members: 0 }));
    expect(shape(c.writes)).toEqual([`create ${T}HH#g1 H#h1`, `check ${T}ORG YARD#y1`, `create ${T}HHCODE#A-1 CODE`]);
    expect(c.writes[0]).toMatchObject({ item: { gsi1pk: `${T}YARD#y1`, gsi1sk: 'h1', type: 'Household' } });
    expect(c.counters?.map((m) => [m.key.sk, m.deltas])).toEqual([
      ['TOWN', { households: 1 }],
      ['GRID#g1', { households: 1 }],
      ['YARD#y1', { households: 1 }],
    ]);
  });

  it('moves a household and its members to another courtyard, expecting the member count read', () => {
    const before = household();
    const plan = planHouseholdChange(before, { version: 2, courtyardId: 'y2', code: 'B-2' }, [person()], { gridId: 'g1' });
    if (!plan) throw new Error('a plan was expected');
    const c = changes.householdChange(before, plan, NOW);
    expect(shape(c.writes).slice(0, 5)).toEqual([
      `update ${T}HH#g1 H#h1`,
      `check ${T}ORG YARD#y2`,
      `remove ${T}HHCODE#A-1 CODE`,
      `create ${T}HHCODE#B-2 CODE`,
      `replace ${T}PPL#g1 h1#p1`,
    ]);
    expect(c.writes[0]).toMatchObject({
      version: 2,
      expect: { members: 1 },
      set: { courtyardId: 'y2', gsi1pk: `${T}YARD#y2`, gsi1sk: 'h1', code: 'B-2', updatedAt: NOW },
    });
    expect(c.writes[4]).toMatchObject({ version: 3, item: { courtyardId: 'y2', version: 4, updatedAt: NOW } });
  });

  it('clears a courtyard with its index keys, and refuses a household past one transaction', () => {
    const before = household({ code: undefined });
    const plan = planHouseholdChange(before, { version: 2, courtyardId: null }, [], undefined);
    if (!plan) throw new Error('a plan was expected');
    expect(changes.householdChange(before, plan, NOW).writes[0]).toMatchObject({ unset: ['courtyardId', 'gsi1pk', 'gsi1sk'] });
    const crowd = Array.from({ length: 30 }, (_, i) => person({ personId: `p${i}` }));
    const big = planHouseholdChange(household({ members: 30 }), { version: 2, courtyardId: 'y2' }, crowd, { gridId: 'g1' });
    if (!big) throw new Error('a plan was expected');
    expect(() => changes.householdChange(household({ members: 30 }), big, NOW)).toThrow(
      expect.objectContaining({ code: 'household.too_large' }),
    );
  });

  it('closes an empty household at its version, expecting nobody joined', () => {
    const before = household({ members: 0 });
    const c = changes.householdClose(before, planHouseholdClose(before, 0, { version: 2, reason: 'merged', on: '2026-11-27' }), NOW);
    expect(c.writes).toEqual([
      {
        kind: 'update',
        key: { pk: `${T}HH#g1`, sk: 'H#h1' },
        set: { status: 'closed', closedReason: 'merged', closedOn: '2026-11-27', updatedAt: NOW },
        version: 2,
        expect: { members: 0 },
      },
    ]);
    expect(c.counters?.map((m) => m.deltas.households)).toEqual([-1, -1, -1]);
  });
});

describe('revealChange', () => {
  it('writes only the audit entry, against the caller’s allowance of the hour', () => {
    const c = changes.revealChange('p1', 'idNumber', 'verifying', NOW, 20);
    expect(c.writes).toEqual([]);
    expect(c.quota).toEqual({ key: { pk: `${T}QUOTA#admin`, sk: '2026-11-27T08' }, limit: 20 });
    expect(c.audit[0]).toMatchObject({ action: 'person.reveal', details: { field: 'idNumber', reason: 'verifying' } });
  });
});
