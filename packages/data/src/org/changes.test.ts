import { planCoordinator, planCreate, planGridMove, planRename, planRetire } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { orgChanges } from './changes';

// The org chart's transaction builders are pure: these tests look at the items, keys, checks and counter
// moves they produce, without DynamoDB (the API suites commit the same changes to DynamoDB Local).

const T = 'T#qingshi#';
const NOW = '2026-11-27T08:00:00.000Z';
const changes = orgChanges('qingshi', 'admin');
const grid = { gridId: 'g-1', communityId: 'c-1', name: '东街网格', code: 'G01', status: 'active' as const, version: 3 };

describe('org changes', () => {
  it('creates a record after checking its parent, with its history event, audit entry and town count', () => {
    const c = changes.change(planCreate('courtyard', { gridId: 'g-1', name: '一号院' }, 'y-9', NOW), NOW, 'E1');
    expect(c?.writes).toEqual([
      {
        kind: 'check',
        key: { pk: `${T}ORG`, sk: 'GRID#g-1' },
        code: 'grid.not_found',
        message: 'No such grid in this town (or it is retired).',
      },
      {
        kind: 'create',
        item: {
          pk: `${T}ORG`,
          sk: 'YARD#y-9',
          type: 'Courtyard',
          gridId: 'g-1',
          name: '一号院',
          courtyardId: 'y-9',
          status: 'active',
          createdAt: NOW,
          version: 1,
        },
      },
      {
        kind: 'put',
        item: {
          pk: `${T}ORGEV#YARD#y-9`,
          sk: `${NOW}#E1`,
          type: 'OrgEvent',
          eventId: 'E1',
          action: 'courtyard.create',
          actor: 'admin',
          at: NOW,
          after: { gridId: 'g-1', name: '一号院' },
        },
      },
    ]);
    expect(c?.audit).toHaveLength(1);
    expect(c?.audit[0]).toMatchObject({
      key: { pk: `${T}AUDIT#2026-11-27` },
      action: 'courtyard.create',
      target: 'YARD#y-9',
      actor: 'admin',
    });
    expect(c?.counters).toEqual([{ key: { pk: `${T}COUNT`, sk: 'TOWN' }, deltas: { courtyards: 1 } }]);
  });

  it('updates a record at the version read, then checks the records it now points at; no counter moves', () => {
    const c = changes.change(planGridMove('g-1', grid, 3, 'c-2', NOW), NOW, 'E2');
    expect(c?.writes.slice(0, 2)).toEqual([
      { kind: 'update', key: { pk: `${T}ORG`, sk: 'GRID#g-1' }, set: { communityId: 'c-2', updatedAt: NOW }, version: 3 },
      {
        kind: 'check',
        key: { pk: `${T}ORG`, sk: 'COMM#c-2' },
        code: 'community.not_found',
        message: 'No such community in this town (or it is retired).',
      },
    ]);
    expect(c?.writes[2]).toMatchObject({
      kind: 'put',
      item: { pk: `${T}ORGEV#GRID#g-1`, before: { communityId: 'c-1' }, after: { communityId: 'c-2' } },
    });
    expect(c?.counters).toBeUndefined();
    const rename = changes.change(planRename('community', 'c-1', { name: 'a', version: 1 }, 1, 'b', NOW), NOW);
    expect(rename?.writes).toHaveLength(2);
  });

  it('checks a named coordinator on the staff whatever their status', () => {
    const { plan } = planCoordinator('g-1', grid, { role: 'grid_coordinator' }, 'li', 3, NOW);
    expect(changes.change(plan, NOW)?.writes[1]).toEqual({
      kind: 'check',
      key: { pk: `${T}STAFF`, sk: 'USER#li' },
      code: 'staff.not_found',
      message: 'No such staff member in this town.',
      anyStatus: true,
    });
  });

  it('retiring takes the record out of the town count; a plan that changes nothing has no transaction', () => {
    const c = changes.change(planRetire('grid', 'g-1', grid, 3, NOW), NOW);
    expect(c?.writes[0]).toEqual({
      kind: 'update',
      key: { pk: `${T}ORG`, sk: 'GRID#g-1' },
      set: { status: 'retired', retiredAt: NOW },
      version: 3,
    });
    expect(c?.counters).toEqual([{ key: { pk: `${T}COUNT`, sk: 'TOWN' }, deltas: { grids: -1 } }]);
    expect(changes.change(planRetire('grid', 'g-1', { ...grid, status: 'retired' }, 3, NOW), NOW)).toBeUndefined();
  });
});

describe('org changes that touch the team', () => {
  it("holds the community's coverage item at the version read, or creates it empty, beside the retirement", () => {
    const plan = planRetire('grid', 'g-1', grid, 3, NOW);
    if (plan.kind === 'none') throw new Error('expected a change');
    const read = changes.change({ ...plan, requires: [{ kind: 'coverage', communityId: 'c-1', version: 4 }] }, NOW, 'E1');
    expect(read?.writes).toContainEqual({
      kind: 'update',
      key: { pk: `${T}TEAMCOV`, sk: 'COMM#c-1' },
      set: { updatedAt: NOW },
      version: 4,
    });
    const none = changes.change({ ...plan, requires: [{ kind: 'coverage', communityId: 'c-1', version: undefined }] }, NOW, 'E1');
    expect(none?.writes).toContainEqual(
      expect.objectContaining({
        kind: 'create',
        conflictCode: 'team.coverage_changed',
        item: expect.objectContaining({ communityId: 'c-1', holders: {}, responsible: {}, version: 1 }),
      }),
    );
  });
});
