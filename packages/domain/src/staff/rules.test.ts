import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { staffInviteSchema } from './api';
import { checkUsername, planStaffChange, planStaffDisable, planStaffEnable, type StaffRecord, scopeOf } from './rules';

const rec = (username: string, role: StaffRecord['role'], more: Partial<StaffRecord> = {}): StaffRecord => ({
  username,
  displayName: username,
  role,
  communityIds: [],
  gridIds: [],
  status: 'active',
  version: 1,
  ...more,
});
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : String(e);
  }
  return 'no error';
};

const admin = rec('qingshi.admin', 'town_admin');
const second = rec('qingshi.admin2', 'town_admin');
const mediator = rec('qingshi.med', 'mediator');

describe('staff scope by role', () => {
  it('community staff need a community, admins take none, mediators and auditors may have some or none', () => {
    expect(code(() => scopeOf('community_staff', []))).toBe('422 staff.scope_required');
    expect(scopeOf('community_staff', ['c1'])).toEqual(['c1']);
    expect(code(() => scopeOf('town_admin', ['c1']))).toBe('422 staff.scope_not_allowed');
    expect(scopeOf('town_admin', undefined)).toEqual([]);
    expect(scopeOf('mediator', undefined)).toEqual([]);
    expect(scopeOf('auditor', ['c1', 'c2'])).toEqual(['c1', 'c2']);
    expect(code(() => scopeOf('auditor', ['c1', 'c1']))).toBe('400 staff.duplicate_community');
  });

  it('a sign-in belongs to the town; the invitation refuses coordinators and unknown roles', () => {
    expect(code(() => checkUsername('qingshi', 'taoyuan.li'))).toBe('422 staff.username_town');
    expect(code(() => checkUsername('qingshi', 'qingshi.'))).toBe('422 staff.username_town');
    expect(code(() => checkUsername('qingshi', 'qingshi.li'))).toBe('no error');
    const base = { username: 'qingshi.li', name: '李', communityIds: [] };
    expect(staffInviteSchema.safeParse({ ...base, role: 'mediator' }).success).toBe(true);
    expect(staffInviteSchema.safeParse({ ...base, role: 'grid_coordinator' }).success).toBe(false);
    expect(staffInviteSchema.safeParse({ ...base, role: 'county_admin' }).success).toBe(false);
  });
});

describe('changing role or scope', () => {
  it('saves a change at the version read and revokes the tokens held', () => {
    const plan = planStaffChange(mediator, { role: 'community_staff', communityIds: ['c1'], version: 1 }, [admin, mediator]);
    expect(plan).toMatchObject({ kind: 'save', revoke: true, record: { role: 'community_staff', communityIds: ['c1'] } });
    expect(code(() => planStaffChange(mediator, { communityIds: ['c1'], version: 2 }, []))).toBe('409 staff.version_conflict');
  });

  it('asking for what the record is changes nothing, whatever the version (a repeat)', () => {
    expect(planStaffChange(mediator, { role: 'mediator', version: 9 }, []).kind).toBe('none');
  });

  it('an admin made something else loses the whole-town scope only if another admin remains', () => {
    expect(code(() => planStaffChange(admin, { role: 'auditor', version: 1 }, [admin, mediator]))).toBe('409 staff.last_admin');
    expect(code(() => planStaffChange(admin, { role: 'auditor', version: 1 }, [admin, { ...second, status: 'disabled' }]))).toBe(
      '409 staff.last_admin',
    );
    expect(planStaffChange(admin, { role: 'auditor', version: 1 }, [admin, second]).kind).toBe('save');
  });

  it('refuses coordinators: their sign-in follows their team record', () => {
    const coordinator = rec('qingshi.c1', 'grid_coordinator', { gridIds: ['g1'] });
    expect(code(() => planStaffChange(coordinator, { role: 'mediator', version: 1 }, []))).toBe('409 staff.coordinator_record');
    expect(code(() => planStaffDisable('qingshi.admin', coordinator, 'x', []))).toBe('409 staff.coordinator_record');
    expect(code(() => planStaffEnable(coordinator, undefined))).toBe('409 staff.coordinator_record');
  });
});

describe('disabling and enabling', () => {
  it('an admin cannot disable themself, nor the last active admin', () => {
    expect(code(() => planStaffDisable('qingshi.admin', admin, 'x', [admin, second]))).toBe('409 staff.self');
    expect(code(() => planStaffDisable('qingshi.admin2', admin, 'x', [admin]))).toBe('409 staff.last_admin');
    expect(planStaffDisable('qingshi.admin2', admin, '调离', [admin, second])).toMatchObject({
      kind: 'save',
      revoke: true,
      record: { status: 'disabled' },
      details: { reason: '调离' },
    });
  });

  it('disabling a disabled one, or enabling an active one, changes nothing', () => {
    const off = { ...mediator, status: 'disabled' as const };
    expect(planStaffDisable('qingshi.admin', off, 'x', []).kind).toBe('none');
    expect(planStaffEnable(mediator, undefined).kind).toBe('none');
    expect(planStaffEnable(off, '复岗')).toMatchObject({ kind: 'save', revoke: false, record: { status: 'active' } });
  });
});
