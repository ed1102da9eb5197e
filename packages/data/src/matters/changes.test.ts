import { CN_2026, decideMatter, defaultCategorySla, type Matter, matterClock, planIntake, type TownPrincipal } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import type { Write } from '../ops';
import { matterChanges } from './changes';
import type { StoredMatter } from './items';

// The matters' transaction builder is pure: these tests look at the writes and counter moves it makes,
// without DynamoDB (tests/api/matters.test.ts commits the same changes to DynamoDB Local).

const NOW = '2026-12-04T02:00:00.000Z';
const LATER = '2026-12-04T03:00:00.000Z';
const cal = { calendars: [CN_2026], closures: [] };
const sla = defaultCategorySla();
const coordinator: TownPrincipal = {
  kind: 'town',
  userId: 'qingshi.grid1',
  username: 'qingshi.grid1',
  role: 'grid_coordinator',
  townId: 'qingshi',
  scope: { communities: ['c1'], grids: ['g1'] },
};
const changes = matterChanges('qingshi', coordinator.username);
const keyOf = (w: Write) => ('item' in w ? { pk: w.item.pk, sk: w.item.sk } : w.key);
const shape = (writes: Write[]) => writes.map((w) => `${w.kind} ${keyOf(w).pk.replace('T#qingshi#', '')}|${keyOf(w).sk}`);
const stored = (m: Matter, now: string): StoredMatter => {
  const c = matterClock(m, sla, cal, now);
  return { matter: m, clock: { due: c.due, kind: c.kind }, mark: 'ok' };
};

function raised() {
  const plan = planIntake(
    {
      categoryId: 'sanitation',
      gridId: 'g1',
      description: '楼道堆物',
      reporter: { name: '李' },
      urgency: 'normal',
      channel: 'coordinator',
    },
    coordinator,
    NOW,
    { matterId: 'm1', communityId: 'c1', categories: ['sanitation'] },
  );
  if (!plan.ok) throw new Error('expected a plan');
  return { plan, after: stored(plan.after, NOW) };
}

describe('matterChanges.planChange', () => {
  it('creates a matter with its timeline entry, its queue entries, the audit entry and the counters', () => {
    const { plan, after } = raised();
    const c = changes.planChange(plan, undefined, after, NOW);
    const due = after.clock.due as string;
    expect(shape(c.writes)).toEqual([
      'create MATTER#m1|M',
      `put MATTER#m1|E#${NOW}#0001#0`,
      `put MDUE|${due}#m1`,
      `put MGRID#g1|${NOW}#m1`,
      `put MCAT#sanitation|${NOW}#m1`,
    ]);
    // The level queue (gsi1) on the matter item; nobody holds it yet, so no gsi2.
    expect(c.writes[0]).toMatchObject({ item: { gsi1pk: 'T#qingshi#MQ#grid#g1', gsi1sk: `h#${due}#m1` } });
    expect((c.writes[0] as { item: Record<string, unknown> }).item.gsi2pk).toBeUndefined();
    expect(c.audit.map((a) => a.action)).toEqual(['matter.raise']);
    expect(c.counters).toEqual(
      expect.arrayContaining([
        { key: { pk: 'T#qingshi#COUNT', sk: 'TOWN' }, deltas: { matters_active: 1 } },
        { key: { pk: 'T#qingshi#COUNT', sk: 'TOWN' }, deltas: { matters_now_open: 1 } },
        { key: { pk: 'T#qingshi#COUNT', sk: 'GRID#g1' }, deltas: { matters_active: 1 } },
      ]),
    );
  });

  it('moves the running clock when an action moves the due, at the version read, and counts a resolution on time', () => {
    const { after: open } = raised();
    const accept = decideMatter(open.matter, { action: 'accept', version: 1 }, coordinator, LATER);
    if (!accept.ok) throw new Error('expected a plan');
    const accepted = stored(accept.after, LATER);
    const c = changes.planChange(accept, open, accepted, LATER);
    expect(c.writes[0]).toMatchObject({ kind: 'replace', version: 1, item: { gsi2pk: 'T#qingshi#MINE#qingshi.grid1' } });
    expect(shape(c.writes)).toContain(`remove MDUE|${open.clock.due}#m1`);
    expect(shape(c.writes)).toContain(`put MDUE|${accepted.clock.due}#m1`);
    const resolve = decideMatter(accepted.matter, { action: 'resolve', resolution: '已清理', version: 2 }, coordinator, LATER);
    if (!resolve.ok) throw new Error('expected a plan');
    const r = changes.planChange(resolve, accepted, stored(resolve.after, LATER), LATER);
    // Resolved: out of the running clocks and of the holder's queue, into the level's visit queue.
    expect(shape(r.writes)).toContain(`remove MDUE|${accepted.clock.due}#m1`);
    expect(r.writes[0]).toMatchObject({ item: { gsi1sk: 'v#~#m1' } });
    expect(r.counters).toContainEqual({
      key: { pk: 'T#qingshi#COUNT', sk: 'MONTH#2026-12' },
      deltas: expect.objectContaining({ matters_resolved_on_time: 1, matters_resolved_on_time_grid: 1 }),
    });
    // The resolution's timeline entry keeps the due it ran against, for the recount.
    expect(r.writes[1]).toMatchObject({ item: { kind: 'resolved', details: { due: accepted.clock.due } } });
  });
});
