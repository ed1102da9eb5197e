import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';

// Issue 12 item 2, second half: staff of other roles managed on the team page (decisions 77–79).
let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  admin = await stack.token('qingshi.admin');
});
afterAll(() => stack.close());

type StaffBody = {
  username: string;
  role: string;
  communityIds: string[];
  status: string;
  version: number;
  initialCredentials?: { username: string; temporaryPassword: string };
};
type Answer = { status: number; body: unknown };
const as = <T>(r: Answer) => r.body as T;
const codeOf = (r: Answer) => (r.body as { error?: { code?: string } }).error?.code;
const post = (path: string, body: unknown, token = admin) => stack.call('POST', path, { token, body });
const patch = (path: string, body: unknown, token = admin) => stack.call('PATCH', path, { token, body });
const households = (token: string, grid: string) => stack.call('GET', `/town/grids/${grid}/households`, { token });

async function signIn(username: string, password: string): Promise<{ status: number; token?: string }> {
  const res = await fetch(`${stack.issuer}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { idToken?: string };
  return { status: res.status, ...(body.idToken ? { token: body.idToken } : {}) };
}
/** Waits for the clock's next second: a token is told from a revocation by its issue second. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1001 - (Date.now() % 1000)));

describe('staff of other roles', () => {
  it('invite → sign in with the scope → change of scope revokes the token → disable → enable', async () => {
    const invited = await post('/town/staff', {
      username: 'qingshi.wang',
      name: '王静',
      role: 'community_staff',
      communityIds: ['qingshi-sq'],
    });
    expect(invited.status).toBe(201);
    const made = as<StaffBody>(invited);
    expect(made).toMatchObject({
      username: 'qingshi.wang',
      role: 'community_staff',
      communityIds: ['qingshi-sq'],
      status: 'active',
      version: 1,
    });
    const password = made.initialCredentials?.temporaryPassword as string;
    expect(made.initialCredentials?.username).toBe('qingshi.wang');
    // The one-time password is in that answer only.
    const detail = await stack.call('GET', '/town/staff/qingshi.wang', { token: admin });
    expect(detail.status).toBe(200);
    expect(JSON.stringify(detail.body)).not.toContain(password);
    expect(as<{ history: Array<{ kind: string }> }>(detail).history.map((e) => e.kind)).toEqual(['invite']);
    // The list shows them with their status.
    const listed = as<{ items: StaffBody[] }>(await stack.call('GET', '/town/staff', { token: admin, query: { limit: '100' } }));
    expect(listed.items.find((s) => s.username === 'qingshi.wang')).toMatchObject({ status: 'active', role: 'community_staff' });

    const first = await signIn('qingshi.wang', password);
    expect(first.status).toBe(200);
    const token = first.token as string;
    expect((await households(token, 'qs-g1')).status).toBe(200);
    expect((await households(token, 'lh-g1')).status).toBe(403);

    // A change of scope ends the token held at once; a new sign-in carries the new community.
    const changed = await patch('/town/staff/qingshi.wang', { communityIds: ['liuhe-sq'], version: 1 });
    expect(changed.status).toBe(200);
    expect(as<StaffBody>(changed)).toMatchObject({ communityIds: ['liuhe-sq'], version: 2 });
    const stale = await households(token, 'qs-g1');
    expect(stale.status).toBe(401);
    expect(codeOf(stale)).toBe('auth.revoked');
    await nextSecond();
    const moved = (await signIn('qingshi.wang', password)).token as string;
    expect((await households(moved, 'lh-g1')).status).toBe(200);
    expect((await households(moved, 'qs-g1')).status).toBe(403);
    // A stale version is refused; asking for what it already is changes nothing.
    expect(codeOf(await patch('/town/staff/qingshi.wang', { role: 'auditor', version: 1 }))).toBe('staff.version_conflict');
    expect(as<StaffBody>(await patch('/town/staff/qingshi.wang', { communityIds: ['liuhe-sq'], version: 1 })).version).toBe(2);
    expect((await households(moved, 'lh-g1')).status).toBe(200);

    // Disabled: the very next request is refused, and the password no longer signs in.
    const disabled = await post('/town/staff/qingshi.wang/disable', { reason: '调离' });
    expect(disabled.status).toBe(200);
    expect(as<StaffBody>(disabled).status).toBe('disabled');
    const refused = await stack.call('GET', '/town/me', { token: moved });
    expect(refused.status).toBe(401);
    expect(codeOf(refused)).toBe('auth.revoked');
    expect((await signIn('qingshi.wang', password)).status).toBe(401);

    // Enabled again: a new sign-in works; the old tokens stay refused.
    await nextSecond();
    const enabled = await post('/town/staff/qingshi.wang/enable', { reason: '复岗' });
    expect(enabled.status).toBe(200);
    expect(as<StaffBody>(enabled).status).toBe('active');
    const back = (await signIn('qingshi.wang', password)).token as string;
    expect((await households(back, 'lh-g1')).status).toBe(200);
    expect((await households(moved, 'lh-g1')).status).toBe(401);
    const history = as<{ history: Array<{ kind: string; actor: string }> }>(
      await stack.call('GET', '/town/staff/qingshi.wang', { token: admin }),
    );
    expect(history.history.map((e) => e.kind)).toEqual(['invite', 'change', 'disable', 'enable']);
    expect(history.history.every((e) => e.actor === 'qingshi.admin')).toBe(true);
  });

  it('keeps an active admin: the last one is neither disabled nor demoted, and an admin cannot disable themself', async () => {
    // Another admin may be invited (decision 77); with two, one may be demoted.
    const second = await post('/town/staff', { username: 'qingshi.admin2', name: '副管理员', role: 'town_admin' });
    expect(second.status).toBe(201);
    const secondToken = (await signIn('qingshi.admin2', as<StaffBody>(second).initialCredentials?.temporaryPassword as string))
      .token as string;
    const self = await post('/town/staff/qingshi.admin/disable', { reason: '自己' });
    expect(self.status).toBe(409);
    expect(codeOf(self)).toBe('staff.self');

    const demoted = await patch('/town/staff/qingshi.admin2', { role: 'auditor', version: 1 }, admin);
    expect(demoted.status).toBe(200);
    // The demoted admin's token is refused at once.
    expect(codeOf(await stack.call('GET', '/town/me', { token: secondToken }))).toBe('auth.revoked');

    // qingshi.admin is now the only active admin: a demotion is refused (by themself, too).
    const last = await stack.call('GET', '/town/staff/qingshi.admin', { token: admin });
    const version = as<{ staff: StaffBody }>(last).staff.version;
    const refused = await patch('/town/staff/qingshi.admin', { role: 'mediator', version }, admin);
    expect(refused.status).toBe(409);
    expect(codeOf(refused)).toBe('staff.last_admin');
    expect(stack.directory.find('qingshi.admin')?.role).toBe('town_admin');
  });

  it('refuses coordinators (they follow their team record), other towns’ sign-ins, non-admins and bad input', async () => {
    const coordinator = await post('/town/staff/qingshi.grid1/disable', { reason: '离职' });
    expect(coordinator.status).toBe(409);
    expect(codeOf(coordinator)).toBe('staff.coordinator_record');
    expect(codeOf(await patch('/town/staff/qingshi.grid1', { role: 'mediator', version: 1 }))).toBe('staff.coordinator_record');
    expect(stack.directory.enabled('qingshi.grid1')).toBe(true);

    const auditor = await stack.token('qingshi.auditor');
    const station = await stack.token('qingshi.station1');
    const forbidden = await post('/town/staff', { username: 'qingshi.x1', name: '某', role: 'mediator' }, station);
    expect(forbidden.status).toBe(403);
    expect((await post('/town/staff/qingshi.mediator/disable', { reason: 'x' }, auditor)).status).toBe(403);
    // The auditor reads the staff (as the list), the station does not.
    expect((await stack.call('GET', '/town/staff/qingshi.mediator', { token: auditor })).status).toBe(200);
    expect((await stack.call('GET', '/town/staff/qingshi.mediator', { token: station })).status).toBe(403);

    const cases: Array<[unknown, number, string]> = [
      [{ username: 'taoyuan.li', name: '李', role: 'mediator' }, 422, 'staff.username_town'],
      [{ username: 'qingshi.li', name: '李', role: 'grid_coordinator' }, 400, 'validation'],
      [{ username: 'qingshi.li', name: '李', role: 'community_staff' }, 422, 'staff.scope_required'],
      [{ username: 'qingshi.li', name: '李', role: 'town_admin', communityIds: ['qingshi-sq'] }, 422, 'staff.scope_not_allowed'],
      [{ username: 'qingshi.li', name: '李', role: 'auditor', communityIds: ['nowhere'] }, 422, 'staff.community_unknown'],
      [{ username: 'qingshi.mediator', name: '李', role: 'auditor' }, 409, 'staff.exists'],
      [{ username: 'qingshi.grid2', name: '李', role: 'grid_coordinator' }, 400, 'validation'],
    ];
    for (const [body, status, code] of cases) {
      const r = await post('/town/staff', body);
      expect([r.status, code === 'validation' ? 'validation' : codeOf(r)], JSON.stringify(body)).toEqual([status, code]);
    }
    // A sign-in held by another role in the directory (no staff record) is refused before saving.
    await stack.directory.ensureUser({ username: 'qingshi.orphan', displayName: '旧账号', role: 'grid_coordinator', townId: 'qingshi' });
    const taken = await post('/town/staff', { username: 'qingshi.orphan', name: '李', role: 'mediator' });
    expect([taken.status, codeOf(taken)]).toEqual([409, 'staff.account_mismatch']);
    expect((await stack.call('GET', '/town/staff/qingshi.orphan', { token: admin })).status).toBe(404);
    expect(codeOf(await post('/town/staff/qingshi.nobody/disable', { reason: 'x' }))).toBe('staff.not_found');
    expect((await post('/town/staff/qingshi.mediator/disable', {})).status).toBe(400);
  });

  it('a directory failure after the save is 503 and the same request again completes it', async () => {
    const invited = await post('/town/staff', { username: 'qingshi.zhao', name: '赵', role: 'mediator' });
    expect(invited.status).toBe(201);
    const held = await stack.token('qingshi.zhao');
    const directory = stack.directory;
    const real = directory.followStaff.bind(directory);
    let failures = 1;
    directory.followStaff = async (...args) => {
      if (failures-- > 0) throw new Error('directory unavailable');
      return real(...args);
    };
    try {
      const broken = await post('/town/staff/qingshi.zhao/disable', { reason: '离岗' });
      expect(broken.status).toBe(503);
      expect(codeOf(broken)).toBe('identity.sign_in_pending');
      // Old tokens are refused already (the revocation is in the save); the account is still enabled…
      expect(codeOf(await stack.call('GET', '/town/me', { token: held }))).toBe('auth.revoked');
      expect(directory.enabled('qingshi.zhao')).toBe(true);
      // …until the same request again brings the directory in line.
      expect((await post('/town/staff/qingshi.zhao/disable', { reason: '离岗' })).status).toBe(200);
      expect(directory.enabled('qingshi.zhao')).toBe(false);
    } finally {
      directory.followStaff = real;
    }
  });
});
