import { newVisitState, planVisit } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import type { Write } from '../ops';
import { visitChanges } from './changes';
import type { StoredVisit } from './items';

// Transaction builders are pure: these tests look at the items, keys and counter moves they produce.

const T = 'T#qingshi#';
const NOW = '2026-11-27T02:00:00.000Z';
const changes = visitChanges('qingshi', 'wang');
const cycles = { householdDays: 30, byTag: { elderly_alone: 7 } };
const state = newVisitState({ gridId: 'g1', householdId: 'h1', communityId: 'c1', door: '1-101' }, '2026-11-01', {}, cycles, NOW);
const visit: StoredVisit = {
  visitId: 'V1',
  gridId: 'g1',
  householdId: 'h1',
  communityId: 'c1',
  visitedAt: NOW,
  on: '2026-11-27',
  kind: 'routine',
  seen: [],
  checks: [],
  by: 'wang',
  recordedAt: NOW,
  flags: [],
};
const keyOf = (w: Write) => ('item' in w ? { pk: w.item.pk, sk: w.item.sk } : w.key);
const shape = (writes: Write[]) => writes.map((w) => `${w.kind} ${keyOf(w).pk} ${keyOf(w).sk}`);

describe('visit state items', () => {
  it('puts a state beside its household, on the grid’s and the community’s due lists by due day', () => {
    expect(changes.items.state(state)).toMatchObject({
      pk: `${T}HH#g1`,
      sk: 'V#h1',
      type: 'VisitState',
      gsi2pk: `${T}VDUE#G#g1`,
      gsi2sk: '2026-12-01#h1',
      gsi1pk: `${T}VDUE#C#c1`,
      gsi1sk: '2026-12-01#g1#h1',
    });
  });

  it('creates a state with the household counts, deletes one at its version with its overdue mark', () => {
    const made = changes.stateWrites(undefined, state);
    expect(shape(made.writes)).toEqual([`create ${T}HH#g1 V#h1`]);
    expect(made.counters.map((c) => [c.key.sk, c.deltas])).toEqual([
      ['TOWN', { visit_households: 1 }],
      ['GRID#g1', { visit_households: 1 }],
    ]);
    const gone = changes.stateWrites({ ...state, overdue: true, version: 4 }, undefined);
    expect(gone.writes).toEqual([{ kind: 'delete', key: { pk: `${T}HH#g1`, sk: 'V#h1' }, version: 4 }]);
    expect(gone.counters[0]?.deltas).toEqual({ visit_households: -1, visit_overdue: -1 });
    expect(changes.stateWrites(state, { ...state, version: 2 }).writes).toMatchObject([{ kind: 'replace', version: 1 }]);
  });
});

describe('recordChange', () => {
  it('creates the visit on its visitor’s list, replaces the state at its version, audits and counts', () => {
    const before = { ...state, due: '2026-11-20', overdue: true, version: 3 };
    const plan = planVisit(before, { visitId: 'V1', on: '2026-11-27', kind: 'routine', by: 'wang' }, '2026-11-27', NOW);
    const c = changes.recordChange({ ...visit, due: plan.after?.due }, before, plan, false);
    expect(shape(c.writes)).toEqual([`create ${T}VISITS#g1#h1 V#V1`, `replace ${T}HH#g1 V#h1`]);
    expect(c.writes[0]).toMatchObject({ conflictCode: 'visit.exists', item: { gsi2pk: `${T}VBY#wang`, gsi2sk: `${NOW}#V1` } });
    expect(c.writes[1]).toMatchObject({ version: 3, item: { due: '2026-12-27', overdue: false, gsi2sk: '2026-12-27#h1', version: 4 } });
    expect(c.audit[0]).toMatchObject({ action: 'visit.record', target: 'V1', actor: 'wang' });
    expect(c.counters?.map((m) => [m.key.sk, m.deltas])).toEqual([
      ['MONTH#2026-11', { visits: 1, visits_routine: 1, visits_overdue_cleared: 1 }],
      ['TOWN', { visit_overdue: -1 }],
      ['GRID#g1', { visit_overdue: -1 }],
    ]);
  });

  it('creates a state missing until the first visit, and writes only the visit for a closed household', () => {
    const plan = planVisit(state, { visitId: 'V1', on: '2026-11-27', kind: 'routine', by: 'wang' }, '2026-11-27', NOW);
    const c = changes.recordChange(visit, state, plan, true);
    expect(shape(c.writes)).toEqual([`create ${T}VISITS#g1#h1 V#V1`, `create ${T}HH#g1 V#h1`]);
    expect(c.counters?.map((m) => m.key.sk)).toEqual(['MONTH#2026-11', 'TOWN', 'GRID#g1']);
    const closed = planVisit(undefined, { visitId: 'V1', on: '2026-11-27', kind: 'routine', by: 'wang' }, '2026-11-27', NOW);
    const cc = changes.recordChange({ ...visit, flags: closed.flags }, undefined, closed, false);
    expect(shape(cc.writes)).toEqual([`create ${T}VISITS#g1#h1 V#V1`]);
    expect(cc.writes[0]).toMatchObject({ item: { flags: ['household_closed'] } });
  });
});
