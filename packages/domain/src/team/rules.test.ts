import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POSTS } from '../defaults';
import type { TownRole } from '../rules';
import {
  type Coordinator,
  type CoverageState,
  coverageCounts,
  coverageMatrix,
  emptyCoverage,
  planResponsible,
  planTeamStep,
  refuseIfStaffed,
  staffedBy,
  type TeamAction,
  type TeamContext,
} from './rules';

const NOW = '2026-12-05T08:00:00.000Z';
const POSTS = DEFAULT_POSTS.map((p) => p.id);
const ctx = (coverage: Record<string, CoverageState | undefined> = {}, role: TownRole = 'town_admin'): TeamContext => ({
  actor: 'admin',
  role,
  now: NOW,
  posts: POSTS,
  coverage,
});

const recommend: TeamAction = {
  kind: 'recommend',
  body: { name: '王芳', communityId: 'c1', recommendedBy: '居民代表会议', on: '2026-11-01', votes: 31, method: 'votes' },
};
const inspect = (passed: boolean): TeamAction => ({
  kind: 'inspect',
  body: { inspector: '李主任', on: '2026-11-10', findings: '群众基础好', passed },
});
const train = (examPassed: boolean): TeamAction => ({
  kind: 'train',
  body: { on: '2026-11-20', courses: ['调解基础'], hours: 16, examPassed },
});
const appoint = (gridIds = ['g1'], postIds = ['mediator']): TeamAction => ({
  kind: 'appoint',
  body: { on: '2026-12-01', gridIds, postIds, documentNo: '镇发〔2026〕12号' },
});

/** Runs actions from nothing, carrying the record and the coverage like the store would. */
function run(actions: TeamAction[], role: TownRole = 'town_admin') {
  let record: Coordinator | undefined;
  const coverage: Record<string, CoverageState | undefined> = {};
  const counters: Record<string, number> = {};
  const events: string[] = [];
  for (const a of actions) {
    const plan = planTeamStep(ctx(coverage, role), record, a, 'p1');
    record = plan.after;
    for (const c of plan.coverage) coverage[c.after.communityId] = c.after;
    for (const c of plan.counters) for (const [k, v] of Object.entries(c.deltas)) counters[k] = (counters[k] ?? 0) + v;
    events.push(...plan.events.map((e) => e.kind));
  }
  return { record: record as Coordinator, coverage, counters, events };
}

describe('the steps of a coordinator record', () => {
  it('goes from recommendation to appointment in order, with counters and coverage', () => {
    const { record, coverage, counters, events } = run([
      recommend,
      inspect(true),
      train(true),
      appoint(['g1', 'g2'], ['mediator', 'sanitation']),
    ]);
    expect(record.stage).toBe('appointed');
    expect(events).toEqual(['recommended', 'inspected', 'trained', 'appointed']);
    expect(counters).toMatchObject({ team_stage_appointed: 1, team_stage_candidate: 0, team_stage_trained: 0, team_posts_held: 2 });
    expect(coverage.c1?.holders.p1).toEqual({ name: '王芳', gridIds: ['g1', 'g2'], postIds: ['mediator', 'sanitation'] });
  });

  it('refuses a skipped step', () => {
    expect(() => run([recommend, train(true)])).toThrow(expect.objectContaining({ code: 'team.out_of_order', status: 409 }));
    expect(() => run([recommend, inspect(true), appoint()])).toThrow(expect.objectContaining({ code: 'team.out_of_order' }));
  });

  it('lets a town admin waive inspection and training with a reason, recorded on the record', () => {
    const waive = (step: 'inspect' | 'train'): TeamAction => ({ kind: 'override', body: { step, reason: '县里统一考察' } });
    const { record } = run([recommend, waive('inspect'), waive('train'), appoint()]);
    expect(record.stage).toBe('appointed');
    expect(record.overrides.map((o) => o.step)).toEqual(['inspect', 'train']);
    expect(() => run([recommend, waive('inspect')], 'community_staff')).toThrow(
      expect.objectContaining({ code: 'team.override_forbidden', status: 403 }),
    );
  });

  it('rejects on a failed inspection and keeps a failed exam at inspected', () => {
    expect(run([recommend, inspect(false)]).record.stage).toBe('rejected');
    expect(run([recommend, inspect(true), train(false)]).record.stage).toBe('inspected');
    expect(run([recommend, inspect(true), train(false), train(true)]).record.stage).toBe('trained');
  });

  it('refuses posts outside the catalogue', () => {
    expect(() => run([recommend, inspect(true), train(true), appoint(['g1'], ['astronaut'])])).toThrow(
      expect.objectContaining({ code: 'team.unknown_post' }),
    );
  });

  it('takes a dismissed coordinator off the coverage and their grids', () => {
    const { record: appointed, coverage } = run([recommend, inspect(true), train(true), appoint(['g1'])]);
    const named = planResponsible(NOW, appointed, 'g1', coverage.c1);
    const plan = planTeamStep(ctx({ c1: named.after }), appointed, { kind: 'dismiss', body: { on: '2026-12-04', reason: '失职' } });
    expect(plan.after.stage).toBe('dismissed');
    expect(plan.coverage[0]?.after).toEqual({ communityId: 'c1', holders: {}, responsible: {} });
    expect(plan.events.map((e) => e.kind)).toEqual(['dismissed', 'no_longer_responsible']);
    expect(plan.counters[0]?.deltas).toEqual({
      team_stage_appointed: -1,
      team_stage_dismissed: 1,
      team_grids_responsible: -1,
      team_posts_held: -1,
    });
    expect(() => planTeamStep(ctx(), plan.after, train(true))).toThrow(expect.objectContaining({ code: 'team.out_of_order' }));
  });

  it('moves a transferred coordinator between communities', () => {
    const { record, coverage } = run([recommend, inspect(true), train(true), appoint(['g1'])]);
    const plan = planTeamStep(ctx(coverage), record, {
      kind: 'transfer',
      body: { on: '2026-12-03', communityId: 'c2', gridIds: ['g9'], postIds: ['petition_agent'], reason: '工作需要' },
    });
    expect(plan.after.communityId).toBe('c2');
    expect(plan.coverage.map((c) => c.after.communityId)).toEqual(['c1', 'c2']);
    expect(plan.coverage[0]?.after.holders).toEqual({});
    expect(plan.coverage[1]?.after.holders.p1?.gridIds).toEqual(['g9']);
  });
});

describe('the responsible coordinator of a grid', () => {
  const appointed = (id: string, gridIds: string[]): Coordinator => ({
    ...run([recommend, inspect(true), train(true), appoint(gridIds)]).record,
    coordinatorId: id,
  });

  it('replaces the previous one with history on both', () => {
    const first = planResponsible(NOW, appointed('a', ['g1']), 'g1', undefined);
    expect(first.counters).toEqual([{ scope: 'TOWN', deltas: { team_grids_responsible: 1 } }]);
    const second = planResponsible(NOW, appointed('b', ['g1']), 'g1', first.after);
    expect(second.after.responsible.g1?.coordinatorId).toBe('b');
    expect(second.replaced).toBe('a');
    expect(second.events.map((e) => [e.coordinatorId, e.kind])).toEqual([
      ['b', 'named_responsible'],
      ['a', 'no_longer_responsible'],
    ]);
    expect(second.counters).toEqual([]);
  });

  it('refuses a coordinator not appointed to the grid', () => {
    expect(() => planResponsible(NOW, appointed('a', ['g1']), 'g2', undefined)).toThrow(
      expect.objectContaining({ code: 'team.not_assigned' }),
    );
  });

  it('shows the gaps in the matrix', () => {
    const cov = planResponsible(NOW, appointed('a', ['g1']), 'g1', {
      communityId: 'c1',
      holders: { a: { name: '王芳', gridIds: ['g1'], postIds: ['mediator'] } },
      responsible: {},
    }).after;
    const m = coverageMatrix(
      'c1',
      cov,
      [
        { gridId: 'g1', name: '一' },
        { gridId: 'g2', name: '二' },
      ],
      DEFAULT_POSTS,
    );
    expect(m.gridsWithoutResponsible).toEqual(['g2']);
    expect(m.postsUnheld).toEqual(POSTS.filter((p) => p !== 'mediator'));
    expect(m.grids[0]?.cells.mediator).toEqual([{ coordinatorId: 'a', name: '王芳' }]);
  });
});

describe('no sequence of steps appoints without every step or a waiver', () => {
  const step = fc.oneof(
    fc.boolean().map(inspect),
    fc.boolean().map(train),
    fc.constant(appoint()),
    fc.constantFrom<'inspect' | 'train'>('inspect', 'train').map((s): TeamAction => ({ kind: 'override', body: { step: s, reason: 'r' } })),
    fc.constant<TeamAction>({ kind: 'leave', body: { on: '2026-12-02', reason: 'r' } }),
    fc.constant<TeamAction>({ kind: 'dismiss', body: { on: '2026-12-02', reason: 'r' } }),
    fc.constant<TeamAction>({ kind: 'transfer', body: { on: '2026-12-02', gridIds: ['g2'], postIds: ['mediator'], reason: 'r' } }),
  );
  it('holds for any order, with either role', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), fc.constantFrom<TownRole>('town_admin', 'community_staff'), (actions, role) => {
        let record = planTeamStep(ctx({}, role), undefined, recommend, 'p1').after;
        const accepted: TeamAction[] = [];
        for (const a of actions) {
          try {
            record = planTeamStep(ctx({}, role), record, a).after;
            accepted.push(a);
          } catch {
            // refused: the record stays as it was
          }
          if (record.stage === 'appointed') {
            const inspected = accepted.some(
              (x) => (x.kind === 'inspect' && x.body.passed) || (x.kind === 'override' && x.body.step === 'inspect'),
            );
            const trained = accepted.some(
              (x) => (x.kind === 'train' && x.body.examPassed) || (x.kind === 'override' && x.body.step === 'train'),
            );
            expect(inspected && trained && accepted.some((x) => x.kind === 'appoint')).toBe(true);
            if (role !== 'town_admin') expect(record.overrides).toEqual([]);
          }
        }
      }),
    );
  });
});

describe("the team's county metrics", () => {
  it('read the counters the transactions move; a gap is grids less those with someone responsible', async () => {
    const { computeMetrics } = await import('../metrics');
    const m = computeMetrics({ grids: 10, team_stage_appointed: 6, team_grids_responsible: 7, team_posts_held: 12 }, [
      { team_appointments: 2 },
      { team_appointments: 1 },
    ]);
    expect(m).toMatchObject({
      coordinators_active: 6,
      coordinators_appointed: 3,
      grids_responsible: 7,
      grids_unassigned: 3,
      posts_held: 12,
    });
  });
});

describe('the coverage item under any mix of steps and namings', () => {
  const GRIDS = ['g1', 'g2', 'g3'];
  const PEOPLE = ['a', 'b', 'c'];
  type Op =
    | { who: number; kind: 'appoint' | 'transfer'; grids: string[]; posts: string[] }
    | { who: number; kind: 'leave' | 'dismiss' }
    | { who: number; kind: 'name'; grid: string };
  const someOf = <T>(xs: T[]) => fc.uniqueArray(fc.constantFrom(...xs), { minLength: 1, maxLength: xs.length });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      who: fc.nat(2),
      kind: fc.constantFrom('appoint' as const, 'transfer' as const),
      grids: someOf(GRIDS),
      posts: someOf(POSTS.slice(0, 3)),
    }),
    fc.record({ who: fc.nat(2), kind: fc.constantFrom('leave' as const, 'dismiss' as const) }),
    fc.record({ who: fc.nat(2), kind: fc.constant('name' as const), grid: fc.constantFrom(...GRIDS) }),
  );

  it('names only appointed holders of the grid, and the counters follow it', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        let cov: CoverageState | undefined;
        const totals: Record<string, number> = {};
        const add = (cs: Array<{ deltas: Record<string, number> }>) => {
          for (const c of cs) for (const [k, v] of Object.entries(c.deltas)) totals[k] = (totals[k] ?? 0) + v;
        };
        const people: Record<string, Coordinator> = {};
        for (const id of PEOPLE) {
          const plan = planTeamStep(ctx(), undefined, recommend, id);
          add(plan.counters);
          people[id] = ['inspect', 'train'].reduce((r, step) => {
            const p = planTeamStep(ctx(), r, { kind: 'override', body: { step: step as 'inspect' | 'train', reason: 'r' } });
            add(p.counters);
            return p.after;
          }, plan.after);
        }
        for (const o of ops) {
          const id = PEOPLE[o.who] as string;
          const before = people[id] as Coordinator;
          try {
            if (o.kind === 'name') {
              const plan = planResponsible(NOW, before, o.grid, cov);
              cov = plan.after;
              add(plan.counters);
              continue;
            }
            const action: TeamAction =
              o.kind === 'appoint'
                ? { kind: 'appoint', body: { on: '2026-12-01', gridIds: o.grids, postIds: o.posts, documentNo: 'D' } }
                : o.kind === 'transfer'
                  ? { kind: 'transfer', body: { on: '2026-12-01', gridIds: o.grids, postIds: o.posts, reason: 'r' } }
                  : { kind: o.kind, body: { on: '2026-12-01', reason: 'r' } };
            const plan = planTeamStep(ctx({ c1: cov }), before, action);
            people[id] = plan.after;
            for (const c of plan.coverage) cov = c.after;
            add(plan.counters);
          } catch {
            // refused: nothing changes
          }
        }
        const state = cov ?? { communityId: 'c1', holders: {}, responsible: {} };
        for (const [grid, r] of Object.entries(state.responsible)) {
          expect(people[r.coordinatorId]?.stage).toBe('appointed');
          expect(state.holders[r.coordinatorId]?.gridIds).toContain(grid);
        }
        expect(Object.keys(state.holders).sort()).toEqual(PEOPLE.filter((p) => people[p]?.stage === 'appointed'));
        const counts = coverageCounts(state);
        expect(totals.team_grids_responsible ?? 0).toBe(counts.gridsResponsible);
        expect(totals.team_posts_held ?? 0).toBe(counts.postsHeld);
        expect(totals.team_stage_appointed ?? 0).toBe(Object.keys(state.holders).length);
      }),
    );
  });
});

describe('a grid or community still staffed', () => {
  const c: CoverageState = {
    communityId: 'c1',
    holders: { p1: { name: '王芳', gridIds: ['g1', 'g2'], postIds: ['mediator'] }, p2: { name: '李强', gridIds: ['g3'], postIds: [] } },
    responsible: { g4: { coordinatorId: 'p9', name: '赵敏', since: NOW } },
  };
  it('names who is appointed to a grid or answers for it', () => {
    expect(staffedBy(c, 'g1')).toEqual(['王芳']);
    expect(staffedBy(c, 'g4')).toEqual(['赵敏']);
    expect(staffedBy(c, 'g5')).toEqual([]);
    expect(staffedBy(c).sort()).toEqual(['李强', '王芳', '赵敏'].sort());
    expect(staffedBy(undefined, 'g1')).toEqual([]);
  });
  it('refuses to retire or move a staffed grid, or retire a staffed community, with 409 and the names', () => {
    const refusal = (f: () => void) => {
      try {
        f();
      } catch (e) {
        const err = e as { code: string; status: number; message: string };
        return { code: err.code, status: err.status, names: err.message.includes('王芳') };
      }
      return undefined;
    };
    expect(refusal(() => refuseIfStaffed('grid', 'g2', c))).toEqual({ code: 'grid.staffed', status: 409, names: true });
    expect(refusal(() => refuseIfStaffed('community', 'c1', c))).toEqual({ code: 'community.staffed', status: 409, names: true });
    expect(refusal(() => refuseIfStaffed('grid', 'g5', c))).toBeUndefined();
    expect(refusal(() => refuseIfStaffed('community', 'c1', emptyCoverage('c1')))).toBeUndefined();
  });
});
