import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';

// Issue 12 item 2: the coordinator's sign-in follows the record (decisions 66–67).
let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  admin = await stack.token('qingshi.admin');
});
afterAll(() => stack.close());

type Member = {
  coordinatorId: string;
  stage: string;
  appointment?: { username?: string };
  initialCredentials?: { username: string; temporaryPassword: string };
};
const post = async (path: string, body: unknown, token = admin) => stack.call('POST', path, { token, body });
const households = (token: string, grid: string) => stack.call('GET', `/town/grids/${grid}/households`, { token });

/** Signs in at the local issuer (Cognito's stand-in) the way the web app does. */
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

/** A candidate taken to the eve of appointment (the steps are covered by team.test.ts). */
async function trained(name: string): Promise<string> {
  const made = await post('/town/team', {
    name,
    communityId: 'qingshi-sq',
    recommendedBy: '居民代表会议',
    on: '2026-11-01',
    votes: 30,
    method: 'votes',
  });
  const id = (made.body as Member).coordinatorId;
  expect((await post(`/town/team/${id}/inspect`, { inspector: '李', on: '2026-11-10', findings: '好', passed: true })).status).toBe(200);
  expect((await post(`/town/team/${id}/train`, { on: '2026-11-20', courses: ['入职'], hours: 8, examPassed: true })).status).toBe(200);
  return id;
}
const appointment = (gridIds: string[], more: Record<string, unknown> = {}) => ({
  on: '2026-12-01',
  gridIds,
  postIds: ['mediator'],
  documentNo: '青发〔2026〕9号',
  ...more,
});

describe('sign-in follows the record', () => {
  it('appoint → the coordinator signs in and sees only their grid → transfer moves it → dismissal refuses the next request', async () => {
    const id = await trained('钱芳');
    const appointed = await post(`/town/team/${id}/appoint`, appointment(['qs-g1']));
    expect(appointed.status).toBe(200);
    const member = appointed.body as Member;
    const username = `qingshi.${id.toLowerCase()}`;
    expect(member.appointment?.username).toBe(username);
    expect(member.initialCredentials?.username).toBe(username);
    const password = member.initialCredentials?.temporaryPassword as string;
    // The one-time password is only in that answer, never in the record.
    expect(
      ((await stack.call('GET', `/town/team/${id}`, { token: admin })).body as { coordinator: Member }).coordinator,
    ).not.toHaveProperty('initialCredentials');

    const first = await signIn(username, password);
    expect(first.status).toBe(200);
    const token = first.token as string;
    expect((await households(token, 'qs-g1')).status).toBe(200);
    expect((await households(token, 'qs-g2')).body).toMatchObject({ error: { code: 'scope.grid' } });

    // A transfer moves the scope: the token held is refused; a new sign-in sees the new grid only.
    expect(
      (await post(`/town/team/${id}/transfer`, { on: '2026-12-02', gridIds: ['qs-g2'], postIds: ['mediator'], reason: '调整' })).status,
    ).toBe(200);
    const stale = await households(token, 'qs-g1');
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ error: { code: 'auth.revoked' } });
    await nextSecond();
    const moved = (await signIn(username, password)).token as string;
    expect((await households(moved, 'qs-g2')).status).toBe(200);
    expect((await households(moved, 'qs-g1')).status).toBe(403);

    // Dismissal: the very next request is refused, and the password no longer signs in.
    expect((await post(`/town/team/${id}/dismiss`, { on: '2026-12-03', reason: '考核不合格' })).status).toBe(200);
    const refused = await households(moved, 'qs-g2');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: 'auth.revoked' } });
    expect((await stack.call('GET', '/town/me', { token: moved })).status).toBe(401);
    expect((await signIn(username, password)).status).toBe(401);
    // The town's own status (town.me) never shows the revocation list.
    expect(JSON.stringify((await stack.call('GET', '/town/me', { token: admin })).body)).not.toContain('revoked');

    // Re-appointed (a new record naming the same sign-in): a token issued after the revocation works.
    const again = await trained('钱芳');
    await nextSecond();
    expect((await post(`/town/team/${again}/appoint`, appointment(['qs-g3'], { username }))).body).not.toHaveProperty('initialCredentials');
    const back = (await signIn(username, password)).token as string;
    expect((await households(back, 'qs-g3')).status).toBe(200);
    expect((await households(back, 'qs-g2')).status).toBe(403);
    // The old tokens stay refused.
    expect((await households(moved, 'qs-g2')).status).toBe(401);
  });

  it('refuses a sign-in of another town or role before saving anything', async () => {
    const id = await trained('孙丽');
    const other = await post(`/town/team/${id}/appoint`, appointment(['qs-g1'], { username: 'taoyuan.someone' }));
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: { code: 'team.username_town' } });
    const admins = await post(`/town/team/${id}/appoint`, appointment(['qs-g1'], { username: 'qingshi.admin' }));
    expect(admins.status).toBe(409);
    expect(admins.body).toMatchObject({ error: { code: 'staff.account_mismatch' } });
    expect(((await stack.call('GET', `/town/team/${id}`, { token: admin })).body as { coordinator: Member }).coordinator.stage).toBe(
      'trained',
    );
    expect(stack.directory.enabled('qingshi.admin')).toBe(true);

    // The directory down before the save: 503, and the record is still where it was.
    const real = stack.directory.ensureUser.bind(stack.directory);
    stack.directory.ensureUser = async () => {
      throw new Error('directory unavailable');
    };
    try {
      const down = await post(`/town/team/${id}/appoint`, appointment(['qs-g1']));
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ error: { code: 'identity.unavailable' } });
    } finally {
      stack.directory.ensureUser = real;
    }
    expect(((await stack.call('GET', `/town/team/${id}`, { token: admin })).body as { coordinator: Member }).coordinator.stage).toBe(
      'trained',
    );
    expect((await post(`/town/team/${id}/appoint`, appointment(['qs-g1']))).status).toBe(200);
  });

  it('repairs a directory failure after the save: 503, then the same step again completes the sign-in', async () => {
    const id = await trained('周红');
    const username = `qingshi.${id.toLowerCase()}`;
    const directory = stack.directory;
    const real = directory.followRecord.bind(directory);
    let failures = 1;
    directory.followRecord = async (...args) => {
      if (failures-- > 0) throw new Error('directory unavailable');
      return real(...args);
    };
    try {
      const body = appointment(['qs-g1']);
      const broken = await post(`/town/team/${id}/appoint`, body);
      expect(broken.status).toBe(503);
      expect(broken.body).toMatchObject({ error: { code: 'identity.sign_in_pending' } });
      // Saved, but the account is still the disabled one made before the save.
      expect(((await stack.call('GET', `/town/team/${id}`, { token: admin })).body as { coordinator: Member }).coordinator.stage).toBe(
        'appointed',
      );
      expect(directory.enabled(username)).toBe(false);
      const repaired = await post(`/town/team/${id}/appoint`, body);
      expect(repaired.status).toBe(200);
      expect(directory.enabled(username)).toBe(true);
      expect(directory.find(username)?.scope).toBe('grid:qs-g1');
      // A different appointment is still refused as out of order, not taken for a repeat.
      expect((await post(`/town/team/${id}/appoint`, appointment(['qs-g2']))).status).toBe(409);

      const held = await stack.token(username);
      expect((await households(held, 'qs-g1')).status).toBe(200);

      // Dismissal with the directory down: old tokens are refused at once (the list is in the save)…
      failures = 1;
      const dismissed = await post(`/town/team/${id}/dismiss`, { on: '2026-12-03', reason: '离职' });
      expect(dismissed.status).toBe(503);
      expect((await households(held, 'qs-g1')).body).toMatchObject({ error: { code: 'auth.revoked' } });
      expect(directory.enabled(username)).toBe(true);
      // …and the same step again disables the account.
      expect((await post(`/town/team/${id}/dismiss`, { on: '2026-12-03', reason: '离职' })).status).toBe(200);
      expect(directory.enabled(username)).toBe(false);
      expect(directory.find(username)?.scope).toBe('');
    } finally {
      directory.followRecord = real;
    }
  });
});
