import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScope } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { gridScopeAfter, IdentityConflictError, IdentityScopeError, LocalDirectory } from './directory';

async function directoryWithStaff(file?: string) {
  const d = new LocalDirectory(file);
  await d.ensureUser(
    {
      username: 'qingshi.grid1',
      displayName: '张伟',
      role: 'grid_coordinator',
      townId: 'qingshi',
      scope: { communities: ['qingshi-sq'], grids: ['qs-g1'], permissions: ['key_groups'] },
    },
    'pw',
  );
  await d.ensureUser({ username: 'qingshi.station1', displayName: '李秀英', role: 'community_staff', townId: 'qingshi' }, 'pw');
  await d.ensureUser({ username: 'taoyuan.grid1', displayName: '陈静', role: 'grid_coordinator', townId: 'taoyuan' }, 'pw');
  await d.ensureUser({ username: 'county.admin', displayName: '周立', role: 'county_admin' }, 'pw');
  return d;
}

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(IdentityScopeError);
  return (e as IdentityScopeError).reason;
};

describe('LocalDirectory.changeGridScope', () => {
  it('adds a grid to a coordinator and takes one away, leaving every other entry as it was', async () => {
    const d = await directoryWithStaff();
    expect(await d.changeGridScope('qingshi.grid1', 'qingshi', { add: 'qs-g2' })).toEqual({ changed: true });
    expect(d.find('qingshi.grid1')?.scope).toBe('community:qingshi-sq grid:qs-g1 perm:key_groups grid:qs-g2');
    expect(parseScope(d.find('qingshi.grid1')?.scope)).toEqual({
      communities: ['qingshi-sq'],
      grids: ['qs-g1', 'qs-g2'],
      permissions: ['key_groups'],
    });

    expect(await d.changeGridScope('qingshi.grid1', 'qingshi', { remove: 'qs-g1' })).toEqual({ changed: true });
    expect(d.find('qingshi.grid1')?.scope).toBe('community:qingshi-sq perm:key_groups grid:qs-g2');
    // The password still works: only the scope changed.
    expect(d.authenticate('qingshi.grid1', 'pw')?.scope).toBe('community:qingshi-sq perm:key_groups grid:qs-g2');
  });

  it('is idempotent: adding a grid held, or removing one not held, changes nothing', async () => {
    const d = await directoryWithStaff();
    expect(await d.changeGridScope('qingshi.grid1', 'qingshi', { add: 'qs-g1' })).toEqual({ changed: false });
    expect(await d.changeGridScope('qingshi.grid1', 'qingshi', { remove: 'qs-g9' })).toEqual({ changed: false });
    expect(d.find('qingshi.grid1')?.scope).toBe('community:qingshi-sq grid:qs-g1 perm:key_groups');
    // Removing only the exact entry: another grid whose id starts the same stays.
    await d.changeGridScope('qingshi.grid1', 'qingshi', { add: 'qs-g10' });
    await d.changeGridScope('qingshi.grid1', 'qingshi', { remove: 'qs-g1' });
    expect(parseScope(d.find('qingshi.grid1')?.scope).grids).toEqual(['qs-g10']);
  });

  it('refuses accounts of another town, a county account, a non-coordinator given a grid, and an unknown account given one', async () => {
    const d = await directoryWithStaff();
    expect(await refusal(d.changeGridScope('taoyuan.grid1', 'qingshi', { add: 'qs-g1' }))).toBe('other_town');
    expect(await refusal(d.changeGridScope('taoyuan.grid1', 'qingshi', { remove: 'qs-g1' }))).toBe('other_town');
    expect(await refusal(d.changeGridScope('county.admin', 'qingshi', { add: 'qs-g1' }))).toBe('other_town');
    expect(await refusal(d.changeGridScope('qingshi.station1', 'qingshi', { add: 'qs-g1' }))).toBe('not_coordinator');
    expect(await refusal(d.changeGridScope('qingshi.nobody', 'qingshi', { add: 'qs-g1' }))).toBe('unknown_account');
    expect(d.find('taoyuan.grid1')?.scope).toBe('');
    expect(d.find('qingshi.station1')?.scope).toBe('');
    // Taking a grid away works on any account of the town; from an unknown account it changes nothing.
    expect(await d.changeGridScope('qingshi.station1', 'qingshi', { remove: 'qs-g1' })).toEqual({ changed: false });
    expect(await d.changeGridScope('qingshi.nobody', 'qingshi', { remove: 'qs-g1' })).toEqual({ changed: false });
  });

  it('refuses a malformed grid id and a claim that would outgrow the token', async () => {
    const d = await directoryWithStaff();
    await expect(d.changeGridScope('qingshi.grid1', 'qingshi', { add: 'qs g2' })).rejects.toBeInstanceOf(RangeError);
    await expect(d.changeGridScope('qingshi.grid1', 'qingshi', { add: 'perm:key_groups' })).rejects.toBeInstanceOf(RangeError);
    // 30 grids with 60-character ids: 1,979 characters, within the 2,000 a token's claim may hold.
    const ids = Array.from({ length: 30 }, (_, i) => `${String(i).padStart(2, '0')}${'g'.repeat(58)}`);
    const crowded = { username: 'x', role: 'grid_coordinator', townId: 'qingshi', scope: ids.map((id) => `grid:${id}`).join(' ') };
    expect(crowded.scope).toHaveLength(1979);
    expect(gridScopeAfter(crowded, 'qingshi', { add: 'qs-g1' }).scope).toHaveLength(1979 + ' grid:qs-g1'.length);
    expect(() => gridScopeAfter(crowded, 'qingshi', { add: 'h'.repeat(60) })).toThrow(IdentityScopeError);
    expect(gridScopeAfter(crowded, 'qingshi', { remove: ids[0] as string, add: 'h'.repeat(60) }).changed).toBe(true);
  });

  it('keeps the change in its file, so it survives a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gridline-dir-')), 'users.json');
    const d = await directoryWithStaff(file);
    await d.changeGridScope('qingshi.grid1', 'qingshi', { add: 'qs-g3', remove: 'qs-g1' });
    const stored = (JSON.parse(readFileSync(file, 'utf8')) as Array<{ username: string; scope: string }>).find(
      (u) => u.username === 'qingshi.grid1',
    );
    expect(stored?.scope).toBe('community:qingshi-sq perm:key_groups grid:qs-g3');
    expect(new LocalDirectory(file).find('qingshi.grid1')?.scope).toBe('community:qingshi-sq perm:key_groups grid:qs-g3');
  });
});

describe('LocalDirectory.followRecord', () => {
  it('disables an account (its password no longer signs in), moves its grids and enables it again', async () => {
    const d = await directoryWithStaff();
    await d.followRecord('qingshi.grid1', 'qingshi', { enabled: false, remove: ['qs-g1'] });
    expect(d.authenticate('qingshi.grid1', 'pw')).toBeUndefined();
    expect(d.enabled('qingshi.grid1')).toBe(false);
    expect(d.find('qingshi.grid1')?.scope).toBe('community:qingshi-sq perm:key_groups');
    await d.followRecord('qingshi.grid1', 'qingshi', { enabled: true, add: ['qs-g3'] });
    expect(d.authenticate('qingshi.grid1', 'pw')?.scope).toBe('community:qingshi-sq perm:key_groups grid:qs-g3');
  });

  it('creates an account disabled, refuses another town and enabling an unknown account', async () => {
    const d = await directoryWithStaff();
    await d.ensureUser({ username: 'qingshi.c1', displayName: '赵敏', role: 'grid_coordinator', townId: 'qingshi', disabled: true }, 'pw');
    expect(d.authenticate('qingshi.c1', 'pw')).toBeUndefined();
    expect(await refusal(d.followRecord('taoyuan.grid1', 'qingshi', { enabled: false }))).toBe('other_town');
    expect(d.enabled('taoyuan.grid1')).toBe(true);
    expect(await refusal(d.followRecord('qingshi.nobody', 'qingshi', { enabled: true, add: ['qs-g1'] }))).toBe('unknown_account');
    await d.followRecord('qingshi.nobody', 'qingshi', { enabled: false });
    expect(d.find('qingshi.nobody')).toBeUndefined();
  });
});

describe('LocalDirectory following a staff record', () => {
  it('sets role and communities, disables and enables, and refuses coordinators', async () => {
    const d = new LocalDirectory();
    await d.ensureUser({ username: 'qingshi.m1', displayName: '调解员', role: 'mediator', townId: 'qingshi' }, 'pw-12345678');
    await d.followStaff('qingshi.m1', 'qingshi', { enabled: true, role: 'community_staff', communityIds: ['qs-a'] });
    expect(d.authenticate('qingshi.m1', 'pw-12345678')).toMatchObject({ role: 'community_staff', scope: 'community:qs-a' });
    await d.followStaff('qingshi.m1', 'qingshi', { enabled: false, role: 'community_staff', communityIds: ['qs-a'] });
    expect(d.authenticate('qingshi.m1', 'pw-12345678')).toBeUndefined();
    await d.followStaff('qingshi.m1', 'qingshi', { enabled: true, role: 'community_staff', communityIds: ['qs-a'] });
    expect(d.enabled('qingshi.m1')).toBe(true);
    await d.ensureUser({ username: 'qingshi.c1', displayName: '网格员', role: 'grid_coordinator', townId: 'qingshi' });
    await expect(d.followStaff('qingshi.c1', 'qingshi', { enabled: false, role: 'mediator', communityIds: [] })).rejects.toMatchObject({
      reason: 'coordinator_account',
    });
    expect(d.enabled('qingshi.c1')).toBe(true);
  });
});

describe('LocalDirectory and an outside participant of joint mediation', () => {
  it('creates a participant of a town with no scope, refuses the username as staff or in another town, and enables it again', async () => {
    const d = await directoryWithStaff();
    const made = await d.ensureUser({
      username: 'qingshi.lawyer',
      displayName: '张律师',
      role: 'participant',
      townId: 'qingshi',
      scope: { communities: [], grids: [] },
    });
    expect(made.created).toBe(true);
    expect(d.authenticate('qingshi.lawyer', made.temporaryPassword as string)).toMatchObject({
      role: 'participant',
      townId: 'qingshi',
      scope: '',
    });
    expect(await d.ensureUser({ username: 'qingshi.lawyer', displayName: '张律师', role: 'participant', townId: 'qingshi' })).toEqual({
      created: false,
    });
    // A staff member's username, or the same name in another town, cannot become a participant's.
    await expect(d.ensureUser({ username: 'qingshi.station1', displayName: 'x', role: 'participant', townId: 'qingshi' })).rejects.toThrow(
      IdentityConflictError,
    );
    await expect(d.ensureUser({ username: 'qingshi.lawyer', displayName: 'x', role: 'participant', townId: 'taoyuan' })).rejects.toThrow(
      IdentityConflictError,
    );
    await d.followStaff('qingshi.lawyer', 'qingshi', { enabled: false, role: 'participant', communityIds: [] });
    expect(d.enabled('qingshi.lawyer')).toBe(false);
    await d.followStaff('qingshi.lawyer', 'qingshi', { enabled: true, role: 'participant', communityIds: [] });
    expect(d.find('qingshi.lawyer')).toMatchObject({ role: 'participant', scope: '' });
    expect(d.enabled('qingshi.lawyer')).toBe(true);
  });
});
