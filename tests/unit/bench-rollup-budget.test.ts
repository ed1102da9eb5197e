import { describe, expect, it } from 'vitest';
import { type RollupRead, type RollupScale, type RollupStage, rollupProblems } from '../bench/rollup';

const read = (kind: RollupRead['kind'], o: Partial<RollupRead> = {}): RollupRead => ({
  kind,
  operation: kind === 'counters' ? 'BatchGetItem' : 'Query',
  calls: kind === 'counters' ? 50 : 1,
  keys: kind === 'counters' ? 100 : 50,
  items: kind === 'counters' ? 100 : kind === 'previous' ? 0 : 50,
  bytes: 10_000,
  rcu: kind === 'counters' ? 50 : 1.5,
  rcuPriced: kind === 'counters' ? 50 : 1.5,
  ...o,
});

function stage(residentsPerTown: number, reads: RollupRead[] = [], o: Partial<RollupStage['rollup']> = {}): RollupStage {
  const all = reads.length ? reads : [read('registry'), read('previous'), read('output'), read('counters')];
  return {
    residentsPerTown,
    people: residentsPerTown * 50,
    households: residentsPerTown * 16,
    load: { items: 1, seconds: 1 },
    rollup: {
      seconds: 0.4,
      calls: 104,
      readCalls: all.reduce((n, r) => n + r.calls, 0),
      itemsRead: all.reduce((n, r) => n + r.items, 0),
      rcu: all.reduce((n, r) => n + r.rcu, 0),
      rcuPriced: all.reduce((n, r) => n + r.rcuPriced, 0),
      wcu: 54,
      reads: all,
      towns: 50,
      failed: 0,
      countyPeople: residentsPerTown * 50,
      countyHouseholds: residentsPerTown * 16,
      townsOff: [],
      ...o,
    },
    scan: { items: 1, bytes: 1, rcuPriced: 1, rcu: 1, pages: 1, segments: 1, seconds: 1 },
    recount: [{ townId: 'anping', drift: 0, people: residentsPerTown, households: residentsPerTown / 3 }],
  };
}

const scale = (a: RollupStage, b: RollupStage): RollupScale => ({
  towns: 50,
  period: '2026-11',
  org: { communities: 3, grids: 7, courtyards: 65 },
  arrivalsPerTown: 2,
  stages: [a, b],
  setupSeconds: 1,
  seconds: 1,
});

describe('the rollup benchmark budget', () => {
  it('passes when both sizes read the same items for the same capacity', () => {
    expect(rollupProblems(scale(stage(2000), stage(4000)))).toEqual([]);
  });

  it('lets the read-back of its own output grow in bytes, as long as it reads the same items', () => {
    const grown = [read('registry'), read('previous'), read('output', { bytes: 10_100, rcuPriced: 2 }), read('counters')];
    expect(rollupProblems(scale(stage(2000), stage(4000, grown)))).toEqual([]);
  });

  it('fails, naming the read, when what it reads to compute costs more with more residents', () => {
    const costlier = [read('registry'), read('previous'), read('output'), read('counters', { rcuPriced: 50.5 })];
    const problems = rollupProblems(scale(stage(2000), stage(4000, costlier)));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("every town's counter items must not grow with residents: 50 RCU (priced)");
  });

  it('fails when it reads more items, or a counter is adrift, or the figures are not what was written', () => {
    const more = [read('registry'), read('previous'), read('output'), read('counters', { items: 101, keys: 101 })];
    const b = stage(4000, more);
    b.recount = [{ townId: 'anping', drift: 2, people: 4000, households: 1310 }];
    b.rollup.townsOff = ['baiyun'];
    const problems = rollupProblems(scale(stage(2000), b)).join('\n');
    expect(problems).toContain('must read the same items');
    expect(problems).toContain('anping at 4,000 residents per town finds 2 counter(s) adrift');
    expect(problems).toContain('baiyun differ from what was written');
  });
});
