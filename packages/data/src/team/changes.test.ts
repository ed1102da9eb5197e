import { type Coordinator, planPhoneChange, planResponsible, planTeamStep, type TeamContext } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import type { Write } from '../ops';
import { teamChanges } from './changes';

// Transaction builders are pure: these tests look at the writes, keys and counter moves they produce,
// without DynamoDB (team.dynamo.test.ts commits the same changes to DynamoDB Local).

const T = 'T#qingshi#';
const NOW = '2026-12-05T08:00:00.000Z';
const changes = teamChanges('qingshi', 'admin');
const ctx = (coverage: TeamContext['coverage'] = {}): TeamContext => ({
  actor: 'admin',
  role: 'town_admin',
  now: NOW,
  posts: ['mediator', 'sanitation'],
  coverage,
});
const keyOf = (w: Write) => ('item' in w ? { pk: w.item.pk, sk: w.item.sk } : w.key);
const shape = (writes: Write[]) => writes.map((w) => `${w.kind} ${keyOf(w).pk} ${keyOf(w).sk}`);

const trained: Coordinator = {
  coordinatorId: 'p1',
  name: '王芳',
  communityId: 'c1',
  stage: 'trained',
  recommendation: { recommendedBy: '居民代表会议', on: '2026-11-01', votes: 31, method: 'votes' },
  overrides: [],
  createdAt: NOW,
  updatedAt: NOW,
};

describe('stepChange', () => {
  it('writes the revocation list to the town status item at the version read, when asked (decision 67)', () => {
    const appointed: Coordinator = {
      ...trained,
      stage: 'appointed',
      appointment: { on: '2026-12-01', gridIds: ['g1'], postIds: ['mediator'], documentNo: 'd', username: 'qingshi.p1' },
    };
    const plan = planTeamStep(ctx(), appointed, { kind: 'dismiss', body: { on: '2026-12-05', reason: 'r' } });
    const change = changes.stepChange(plan, 5, { c1: undefined }, NOW, { revoked: { 'qingshi.p1': 1_800_000_000 }, version: 9 });
    expect(change.writes.at(-1)).toEqual({
      kind: 'update',
      key: { pk: `${T}META`, sk: 'TOWN' },
      set: { revoked: { 'qingshi.p1': 1_800_000_000 } },
      version: 9,
    });
    expect(changes.stepChange(plan, 5, { c1: undefined }, NOW).writes.some((w) => keyOf(w).sk === 'TOWN')).toBe(false);
  });

  it('creates the record of a recommendation with its event, audit and stage counter', () => {
    const plan = planTeamStep(
      ctx(),
      undefined,
      {
        kind: 'recommend',
        body: { name: '王芳', communityId: 'c1', recommendedBy: 'x', on: '2026-11-01', votes: 3, method: 'signatures' },
      },
      'p1',
    );
    const c = changes.stepChange(plan, undefined, {}, NOW);
    expect(shape(c.writes)).toEqual([`create ${T}TEAM C#p1`, expect.stringMatching(new RegExp(`^put ${T}TEAMEV#p1 ${NOW}#`))]);
    expect(c.writes[0]).toMatchObject({ conflictCode: 'team.exists', item: { version: 1, stage: 'candidate', type: 'TeamMember' } });
    expect(c.audit).toEqual([expect.objectContaining({ action: 'team.recommend', target: 'p1', actor: 'admin' })]);
    expect(c.counters).toEqual([{ key: { pk: `${T}COUNT`, sk: 'TOWN' }, deltas: { team_stage_candidate: 1 } }]);
  });

  it('appoints at the record version and creates the community coverage item, moving town and month counters', () => {
    const plan = planTeamStep(ctx(), trained, {
      kind: 'appoint',
      body: { on: '2026-12-01', gridIds: ['g1'], postIds: ['mediator'], documentNo: 'D-1' },
    });
    const c = changes.stepChange(plan, 4, { c1: undefined }, NOW);
    expect(shape(c.writes).slice(0, 2)).toEqual([`replace ${T}TEAM C#p1`, `create ${T}TEAMCOV COMM#c1`]);
    expect(c.writes[0]).toMatchObject({ version: 4, item: { version: 5, stage: 'appointed' } });
    expect(c.writes[1]).toMatchObject({ item: { version: 1, holders: { p1: { gridIds: ['g1'], postIds: ['mediator'] } } } });
    expect(c.counters).toEqual([
      { key: { pk: `${T}COUNT`, sk: 'TOWN' }, deltas: { team_stage_trained: -1, team_stage_appointed: 1, team_posts_held: 1 } },
      { key: { pk: `${T}COUNT`, sk: 'MONTH#2026-12' }, deltas: { team_appointments: 1 } },
    ]);
  });

  it('replaces an existing coverage item at the version read', () => {
    const read = { communityId: 'c1', holders: {}, responsible: {}, version: 7, updatedAt: NOW };
    const plan = planTeamStep(ctx({ c1: read }), trained, {
      kind: 'appoint',
      body: { on: '2026-12-01', gridIds: ['g1'], postIds: ['mediator'], documentNo: 'D-1' },
    });
    const c = changes.stepChange(plan, 4, { c1: 7 }, NOW);
    expect(c.writes[1]).toMatchObject({ kind: 'replace', version: 7, item: { version: 8, sk: 'COMM#c1' } });
  });
});

describe('responsibleChange', () => {
  it('writes the coverage, checks the grid, records both histories', () => {
    const appointed: Coordinator = {
      ...trained,
      stage: 'appointed',
      appointment: { on: '2026-12-01', gridIds: ['g1'], postIds: ['mediator'], documentNo: 'D' },
    };
    const read = { communityId: 'c1', holders: {}, responsible: { g1: { coordinatorId: 'p0', name: '李', since: NOW } } };
    const plan = planResponsible(NOW, appointed, 'g1', read);
    const c = changes.responsibleChange(plan, 'g1', 3, NOW);
    expect(shape(c.writes)).toEqual([
      `replace ${T}TEAMCOV COMM#c1`,
      `check ${T}ORG GRID#g1`,
      expect.stringMatching(/TEAMEV#p1 /),
      expect.stringMatching(/TEAMEV#p0 /),
    ]);
    expect(c.audit[0]).toMatchObject({ action: 'team.responsible', target: 'g1', details: { replaced: 'p0' } });
    expect(c.counters).toEqual([]);
  });
});

describe('the contacts changes (decisions 74–75)', () => {
  it('audits a reveal with its field and reason, on the book allowance of the user and hour', () => {
    const change = changes.revealChange('p1', 'phone', '联系本人核实', NOW, 20);
    expect(change.writes).toEqual([]);
    expect(change.audit).toEqual([
      expect.objectContaining({ actor: 'admin', action: 'team.reveal', target: 'p1', details: { field: 'phone', reason: '联系本人核实' } }),
    ]);
    expect(change.quota).toEqual({ key: { pk: `${T}QUOTA#admin`, sk: '2026-12-05T08' }, limit: 20 });
  });

  it('corrects a phone in the record and the coverage copy, at their versions, in one change', () => {
    const appointed: Coordinator = {
      ...trained,
      stage: 'appointed',
      phoneSealed: 'old',
      phoneMasked: '139****0000',
      appointment: { on: '2026-12-01', gridIds: ['g1'], postIds: ['mediator'], documentNo: 'd' },
    };
    const read = {
      communityId: 'c1',
      holders: { p1: { name: '王芳', gridIds: ['g1'], postIds: ['mediator'], phoneSealed: 'old' } },
      responsible: {},
    };
    const plan = planPhoneChange(NOW, { ...appointed, version: 4 }, 4, { sealed: 'new', masked: '139****1111' }, read);
    const change = changes.stepChange(plan, 4, { c1: 7 }, NOW);
    expect(shape(change.writes).slice(0, 2)).toEqual([`replace ${T}TEAM C#p1`, `replace ${T}TEAMCOV COMM#c1`]);
    const [record, coverage] = change.writes as Array<Extract<Write, { kind: 'replace' }>>;
    expect([record?.version, record?.item.phoneSealed, record?.item.version]).toEqual([4, 'new', 5]);
    const holders = coverage?.item.holders as Record<string, { phoneSealed: string }> | undefined;
    expect([coverage?.version, holders?.p1?.phoneSealed]).toEqual([7, 'new']);
    expect(change.audit.map((a) => a.action)).toEqual(['team.phone']);
    expect(JSON.stringify(change.audit)).not.toContain('new');
  });
});
