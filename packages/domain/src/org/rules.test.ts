import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  checkOrgFound,
  type OrgRecord,
  orgRecordId,
  planCoordinator,
  planCourtyardMove,
  planCreate,
  planGridChange,
  planGridMove,
  planRename,
  planRetire,
  planUpdate,
} from './rules';

const NOW = '2026-11-27T08:00:00.000Z';
const grid = (over: Partial<OrgRecord> = {}): OrgRecord => ({
  gridId: 'g-1',
  communityId: 'c-1',
  name: '东街网格',
  code: 'G01',
  status: 'active',
  version: 3,
  ...over,
});

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, status: e.status };
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('org rules', () => {
  it('names new records by kind from a unique part', () => {
    expect(orgRecordId('community', '01ABC')).toBe('c-01abc');
    expect(orgRecordId('grid', '01ABC')).toBe('g-01abc');
    expect(orgRecordId('courtyard', '01ABC')).toBe('y-01abc');
  });

  it('creates a record active at version 1, under a parent that must exist, counting it', () => {
    const plan = planCreate('grid', { communityId: 'c-1', name: '东街网格', code: 'G01' }, 'g-9', NOW);
    expect(plan.result).toEqual({
      communityId: 'c-1',
      name: '东街网格',
      code: 'G01',
      gridId: 'g-9',
      status: 'active',
      createdAt: NOW,
      version: 1,
    });
    expect(plan.requires).toEqual([{ kind: 'community', id: 'c-1' }]);
    expect(plan.event).toEqual({ action: 'grid.create', after: { communityId: 'c-1', name: '东街网格', code: 'G01' } });
    expect(plan.count).toBe(1);
    expect(planCreate('community', { name: '东街社区', kind: 'community' }, 'c-9', NOW).requires).toEqual([]);
    expect(planCreate('courtyard', { gridId: 'g-1', name: '一号院' }, 'y-9', NOW).requires).toEqual([{ kind: 'grid', id: 'g-1' }]);
  });

  it('refuses a record that is missing, and any change to a retired one', () => {
    expect(refusal(() => checkOrgFound('grid', undefined))).toEqual({ code: 'grid.not_found', status: 404 });
    expect(checkOrgFound('grid', grid())).toEqual(grid());
    const retired = grid({ status: 'retired' });
    expect(refusal(() => planRename('courtyard', 'y-1', { ...retired }, 3, 'x', NOW))).toEqual({ code: 'courtyard.retired', status: 409 });
    expect(refusal(() => planGridMove('g-1', retired, 3, 'c-2', NOW))).toEqual({ code: 'grid.retired', status: 409 });
    expect(refusal(() => planGridChange('g-1', retired, 3, { name: 'x' }, NOW))).toEqual({ code: 'grid.retired', status: 409 });
  });

  it('keeps the value before (null when absent) and after of each changed field', () => {
    const plan = planGridChange('g-1', grid(), 3, { name: '西街网格', code: undefined, boundary: null }, NOW);
    expect(plan).toMatchObject({
      kind: 'update',
      version: 3,
      fields: { name: '西街网格', boundary: null, updatedAt: NOW },
      event: { action: 'grid.change', before: { name: '东街网格', boundary: null }, after: { name: '西街网格', boundary: null } },
      result: { name: '西街网格', code: 'G01', boundary: null, version: 4, updatedAt: NOW },
    });
    expect(plan.kind === 'update' && 'code' in plan.fields).toBe(false);
  });

  it('moves a grid or courtyard only under a parent that exists when the move commits', () => {
    expect(planGridMove('g-1', grid(), 3, 'c-2', NOW)).toMatchObject({
      requires: [{ kind: 'community', id: 'c-2' }],
      fields: { communityId: 'c-2' },
    });
    const yard = { courtyardId: 'y-1', gridId: 'g-1', name: '一号院', version: 1 };
    expect(planCourtyardMove('y-1', yard, 1, 'g-2', NOW)).toMatchObject({
      requires: [{ kind: 'grid', id: 'g-2' }],
      event: { action: 'courtyard.move' },
    });
  });

  it('retires once: the count drops by one, and a second retirement changes nothing', () => {
    const plan = planRetire('grid', 'g-1', grid(), 3, NOW);
    expect(plan).toMatchObject({
      kind: 'update',
      fields: { status: 'retired', retiredAt: NOW },
      count: -1,
      event: { action: 'grid.retire', before: { status: 'active' }, after: { status: 'retired' } },
      result: { status: 'retired', version: 4 },
    });
    const retired = grid({ status: 'retired', version: 4 });
    expect(planRetire('grid', 'g-1', retired, 3, NOW)).toEqual({ kind: 'none', result: retired });
  });

  describe('naming a grid coordinator', () => {
    const coordinator = { role: 'grid_coordinator' };
    it('needs a grid coordinator on the staff, on an active grid', () => {
      expect(refusal(() => planCoordinator('g-1', grid(), undefined, 'li', 3, NOW))).toEqual({ code: 'staff.not_found', status: 404 });
      expect(refusal(() => planCoordinator('g-1', grid(), { role: 'town_admin' }, 'li', 3, NOW))).toEqual({
        code: 'staff.not_coordinator',
        status: 422,
      });
      expect(refusal(() => planCoordinator('g-1', grid({ status: 'retired' }), coordinator, 'li', 3, NOW))).toEqual({
        code: 'grid.retired',
        status: 409,
      });
    });

    it('keeps the replaced coordinator and lists who must lose the grid', () => {
      const r = planCoordinator('g-1', grid({ coordinatorUserId: 'wang', formerCoordinatorUserId: 'zhao' }), coordinator, 'li', 3, NOW);
      expect(r.holder).toBe('li');
      expect(r.former).toEqual(['wang', 'zhao']);
      expect(r.plan).toMatchObject({
        kind: 'update',
        fields: { coordinatorUserId: 'li', formerCoordinatorUserId: 'wang' },
        requires: [{ kind: 'staff', username: 'li' }],
        event: { action: 'grid.coordinator', before: { coordinatorUserId: 'wang', formerCoordinatorUserId: 'zhao' } },
      });
    });

    it('changes nothing when the one named already holds the grid (a retry), at any version', () => {
      const g = grid({ coordinatorUserId: 'li', formerCoordinatorUserId: 'wang' });
      expect(planCoordinator('g-1', g, coordinator, 'li', 99, NOW)).toEqual({
        plan: { kind: 'none', result: g },
        holder: 'li',
        former: ['wang'],
      });
    });
  });

  it('an update always bumps the version it was read at and never changes fields it was not given', () => {
    const field = fc.constantFrom('name', 'code', 'communityId', 'note');
    fc.assert(
      fc.property(fc.dictionary(field, fc.string()), fc.nat(1000), (set, version) => {
        const current = grid();
        const plan = planUpdate('grid', 'g-1', current, version, set, 'grid.change', NOW);
        if (plan.kind !== 'update') return false;
        const result = plan.result as OrgRecord;
        for (const f of Object.keys(current)) if (!(f in set) && f !== 'version') expect(result[f]).toEqual(current[f]);
        expect(result.version).toBe(version + 1);
        expect(Object.keys(plan.event.before ?? {}).sort()).toEqual(Object.keys(set).sort());
        return true;
      }),
    );
  });
});
