import { UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { CognitoDirectory } from './cognito';
import { IdentityScopeError } from './directory';

type Attr = { Name: string; Value: string };
type FakeUser = { attributes: Attr[]; enabled: boolean; signedOutAt?: number; groups?: string[] };

/**
 * A FAKE of the Cognito user pool API: Cognito cannot run on this machine, so these tests check which
 * calls the adapter makes and in what order, against an in-memory pool that answers the few commands
 * it uses the way the service documents them. They say nothing about the real service's behaviour.
 */
function fakePool(users: Record<string, FakeUser>) {
  const calls: string[] = [];
  let clock = 0;
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, '');
      const input = command.input as { Username: string; UserAttributes?: Attr[]; UserAttributeNames?: string[]; GroupName?: string };
      calls.push(`${name} ${input.Username}${input.GroupName ? ` ${input.GroupName}` : ''}`);
      const user = users[input.Username];
      if (!user && name !== 'AdminCreateUser') throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
      switch (name) {
        case 'AdminGetUser':
          return { Username: input.Username, UserAttributes: user?.attributes, Enabled: user?.enabled };
        case 'AdminCreateUser':
          users[input.Username] = { attributes: input.UserAttributes ?? [], enabled: true };
          return {};
        case 'AdminUpdateUserAttributes':
          for (const a of input.UserAttributes ?? []) {
            const list = user?.attributes ?? [];
            const at = list.findIndex((x) => x.Name === a.Name);
            if (at >= 0) list[at] = a;
            else list.push(a);
          }
          return {};
        case 'AdminDeleteUserAttributes':
          if (user) user.attributes = user.attributes.filter((a) => !input.UserAttributeNames?.includes(a.Name));
          return {};
        case 'AdminEnableUser':
          if (user) user.enabled = true;
          return {};
        case 'AdminDisableUser':
          if (user) user.enabled = false;
          return {};
        // Cognito accepts adding a member again and removing one who is not a member: so does the fake.
        case 'AdminAddUserToGroup':
          if (user && input.GroupName && !user.groups?.includes(input.GroupName)) user.groups = [...(user.groups ?? []), input.GroupName];
          return {};
        case 'AdminRemoveUserFromGroup':
          if (user) user.groups = (user.groups ?? []).filter((g) => g !== input.GroupName);
          return {};
        case 'AdminUserGlobalSignOut':
          if (user) user.signedOutAt = ++clock;
          return {};
        default:
          throw new Error(`The fake does not answer ${name}`);
      }
    },
  };
  return { calls, users, directory: new CognitoDirectory('pool-1', client as never) };
}

const coordinator = (scope: string, town = 'qingshi'): FakeUser => ({
  attributes: [
    { Name: 'custom:role', Value: 'grid_coordinator' },
    { Name: 'custom:town', Value: town },
    ...(scope ? [{ Name: 'custom:scope', Value: scope }] : []),
  ],
  enabled: true,
});
const scopeOf = (u: FakeUser | undefined) => u?.attributes.find((a) => a.Name === 'custom:scope')?.Value;

describe('CognitoDirectory against a fake pool (Cognito cannot run here)', () => {
  it('creates a coordinator disabled when asked, then enables it with the grids of the appointment', async () => {
    const { directory, users, calls } = fakePool({});
    expect(
      await directory.ensureUser({
        username: 'qingshi.c1',
        displayName: '赵敏',
        role: 'grid_coordinator',
        townId: 'qingshi',
        disabled: true,
      }),
    ).toEqual({ created: true });
    expect(calls).toEqual([
      'AdminGetUser qingshi.c1',
      'AdminCreateUser qingshi.c1',
      'AdminAddUserToGroup qingshi.c1 grid_coordinator',
      'AdminDisableUser qingshi.c1',
    ]);
    expect(users['qingshi.c1']?.enabled).toBe(false);
    expect(users['qingshi.c1']?.groups).toEqual(['grid_coordinator']);
    calls.length = 0;
    await directory.followRecord('qingshi.c1', 'qingshi', { enabled: true, add: ['qs-g1', 'qs-g2'] });
    expect(calls).toEqual(['AdminGetUser qingshi.c1', 'AdminUpdateUserAttributes qingshi.c1', 'AdminEnableUser qingshi.c1']);
    expect(scopeOf(users['qingshi.c1'])).toBe('grid:qs-g1 grid:qs-g2');
    expect(users['qingshi.c1']?.enabled).toBe(true);
  });

  it('moves the grids on a transfer, and on dismissal disables the account and signs it out everywhere', async () => {
    const { directory, users, calls } = fakePool({ 'qingshi.c1': coordinator('perm:key_groups grid:qs-g1') });
    await directory.followRecord('qingshi.c1', 'qingshi', { enabled: true, remove: ['qs-g1'], add: ['qs-g3'] });
    expect(scopeOf(users['qingshi.c1'])).toBe('perm:key_groups grid:qs-g3');
    calls.length = 0;
    await directory.followRecord('qingshi.c1', 'qingshi', { enabled: false, remove: ['qs-g3'] });
    expect(calls).toEqual([
      'AdminGetUser qingshi.c1',
      'AdminUpdateUserAttributes qingshi.c1',
      'AdminDisableUser qingshi.c1',
      'AdminUserGlobalSignOut qingshi.c1',
    ]);
    expect(users['qingshi.c1']).toMatchObject({ enabled: false, signedOutAt: 1 });
    // Repeating it changes no attribute (the claim is already right) and signs out again: idempotent.
    calls.length = 0;
    await directory.followRecord('qingshi.c1', 'qingshi', { enabled: false, remove: ['qs-g3'] });
    expect(calls).toEqual(['AdminGetUser qingshi.c1', 'AdminDisableUser qingshi.c1', 'AdminUserGlobalSignOut qingshi.c1']);
  });

  it('deletes the claim when no entry is left, and refuses other towns and unknown accounts being enabled', async () => {
    const { directory, users } = fakePool({ 'qingshi.c1': coordinator('grid:qs-g1'), 'taoyuan.c1': coordinator('', 'taoyuan') });
    await directory.followRecord('qingshi.c1', 'qingshi', { enabled: false, remove: ['qs-g1'] });
    expect(scopeOf(users['qingshi.c1'])).toBeUndefined();
    await expect(directory.followRecord('taoyuan.c1', 'qingshi', { enabled: false })).rejects.toBeInstanceOf(IdentityScopeError);
    expect(users['taoyuan.c1']?.enabled).toBe(true);
    await expect(directory.followRecord('qingshi.nobody', 'qingshi', { enabled: true, add: ['qs-g1'] })).rejects.toBeInstanceOf(
      IdentityScopeError,
    );
    await expect(directory.followRecord('qingshi.nobody', 'qingshi', { enabled: false })).resolves.toBeUndefined();
  });
});

const staffAccount = (role: string, scope: string, town = 'qingshi'): FakeUser => ({
  attributes: [
    { Name: 'custom:role', Value: role },
    { Name: 'custom:town', Value: town },
    ...(scope ? [{ Name: 'custom:scope', Value: scope }] : []),
  ],
  enabled: true,
  groups: [role],
});
const roleOf = (u: FakeUser | undefined) => u?.attributes.find((a) => a.Name === 'custom:role')?.Value;

// The same FAKE pool as above: which calls the staff path makes, not how Cognito behaves.
describe('CognitoDirectory following a staff record (fake pool: Cognito cannot run here)', () => {
  it('changes role and communities, keeps perm: entries, and signs the account out so the new claims are read', async () => {
    const { directory, users, calls } = fakePool({ 'qingshi.m1': staffAccount('mediator', 'community:qs-a perm:key_groups') });
    await directory.followStaff('qingshi.m1', 'qingshi', { enabled: true, role: 'community_staff', communityIds: ['qs-b'] });
    expect(calls).toEqual([
      'AdminGetUser qingshi.m1',
      'AdminAddUserToGroup qingshi.m1 community_staff',
      'AdminRemoveUserFromGroup qingshi.m1 mediator',
      'AdminUpdateUserAttributes qingshi.m1',
      'AdminUserGlobalSignOut qingshi.m1',
    ]);
    expect(roleOf(users['qingshi.m1'])).toBe('community_staff');
    expect(users['qingshi.m1']?.groups).toEqual(['community_staff']);
    expect(scopeOf(users['qingshi.m1'])).toBe('community:qs-b perm:key_groups');
  });

  it('disables and signs out everywhere; enabling again only enables; an emptied claim is deleted', async () => {
    const { directory, users, calls } = fakePool({ 'qingshi.a1': staffAccount('auditor', 'community:qs-a') });
    await directory.followStaff('qingshi.a1', 'qingshi', { enabled: false, role: 'auditor', communityIds: ['qs-a'] });
    expect(calls).toEqual(['AdminGetUser qingshi.a1', 'AdminDisableUser qingshi.a1', 'AdminUserGlobalSignOut qingshi.a1']);
    expect(users['qingshi.a1']).toMatchObject({ enabled: false, signedOutAt: 1 });
    calls.length = 0;
    await directory.followStaff('qingshi.a1', 'qingshi', { enabled: true, role: 'auditor', communityIds: [] });
    expect(calls).toEqual([
      'AdminGetUser qingshi.a1',
      'AdminDeleteUserAttributes qingshi.a1',
      'AdminEnableUser qingshi.a1',
      'AdminUserGlobalSignOut qingshi.a1',
    ]);
    expect(scopeOf(users['qingshi.a1'])).toBeUndefined();
    expect(users['qingshi.a1']?.enabled).toBe(true);
  });

  it('keeps the groups in line with the role when a move fails half-way and the same request runs again', async () => {
    const { directory, users, calls } = fakePool({ 'qingshi.a1': staffAccount('auditor', '') });
    const pool = (directory as unknown as { client: { send: (c: unknown) => Promise<unknown> } }).client;
    const send = pool.send.bind(pool);
    // The removal from the old group fails once (a throttle, say): nothing after it runs.
    let failed = false;
    pool.send = async (c) => {
      if (!failed && (c as { constructor: { name: string } }).constructor.name === 'AdminRemoveUserFromGroupCommand') {
        failed = true;
        throw new Error('TooManyRequestsException');
      }
      return send(c);
    };
    await expect(directory.followStaff('qingshi.a1', 'qingshi', { enabled: true, role: 'mediator', communityIds: [] })).rejects.toThrow(
      'TooManyRequests',
    );
    expect(roleOf(users['qingshi.a1'])).toBe('auditor');
    expect(users['qingshi.a1']?.groups).toEqual(['auditor', 'mediator']);
    calls.length = 0;
    await directory.followStaff('qingshi.a1', 'qingshi', { enabled: true, role: 'mediator', communityIds: [] });
    expect(roleOf(users['qingshi.a1'])).toBe('mediator');
    expect(users['qingshi.a1']?.groups).toEqual(['mediator']);
    // A role unchanged moves no group.
    calls.length = 0;
    await directory.followStaff('qingshi.a1', 'qingshi', { enabled: true, role: 'mediator', communityIds: ['qs-a'] });
    expect(calls.filter((c) => c.includes('Group'))).toEqual([]);
  });

  it('refuses a coordinator account and another town, and changes nothing there', async () => {
    const { directory, users } = fakePool({
      'qingshi.c1': coordinator('grid:qs-g1'),
      'taoyuan.m1': staffAccount('mediator', '', 'taoyuan'),
    });
    await expect(
      directory.followStaff('qingshi.c1', 'qingshi', { enabled: false, role: 'mediator', communityIds: [] }),
    ).rejects.toMatchObject({
      reason: 'coordinator_account',
    });
    expect(users['qingshi.c1']?.enabled).toBe(true);
    await expect(
      directory.followStaff('taoyuan.m1', 'qingshi', { enabled: false, role: 'mediator', communityIds: [] }),
    ).rejects.toMatchObject({
      reason: 'other_town',
    });
    await expect(
      directory.followStaff('qingshi.none', 'qingshi', { enabled: true, role: 'mediator', communityIds: [] }),
    ).rejects.toBeInstanceOf(IdentityScopeError);
  });
});

// The same FAKE pool: the calls an invitation's account makes, not how Cognito behaves.
describe('CognitoDirectory and an outside participant (fake pool: Cognito cannot run here)', () => {
  it('creates the participant in its town and role group with no scope, refuses staff, and enables a disabled one', async () => {
    const { directory, users, calls } = fakePool({ 'qingshi.m1': staffAccount('mediator', '') });
    expect(
      await directory.ensureUser({
        username: 'qingshi.lawyer',
        displayName: '张律师',
        role: 'participant',
        townId: 'qingshi',
        scope: { communities: [], grids: [] },
      }),
    ).toEqual({ created: true });
    expect(calls).toEqual([
      'AdminGetUser qingshi.lawyer',
      'AdminCreateUser qingshi.lawyer',
      'AdminAddUserToGroup qingshi.lawyer participant',
    ]);
    expect(roleOf(users['qingshi.lawyer'])).toBe('participant');
    expect(scopeOf(users['qingshi.lawyer'])).toBeUndefined();
    await expect(
      directory.ensureUser({ username: 'qingshi.m1', displayName: 'x', role: 'participant', townId: 'qingshi' }),
    ).rejects.toThrow(/another town or role/);
    const lawyer = users['qingshi.lawyer'] as FakeUser;
    lawyer.enabled = false;
    calls.length = 0;
    await directory.followStaff('qingshi.lawyer', 'qingshi', { enabled: true, role: 'participant', communityIds: [] });
    expect(calls).toEqual(['AdminGetUser qingshi.lawyer', 'AdminEnableUser qingshi.lawyer']);
    expect(lawyer.enabled).toBe(true);
  });
});
