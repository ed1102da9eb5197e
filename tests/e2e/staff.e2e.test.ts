import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, SHOTS, scrollsSideways } from './browser';

/**
 * The staff page in Chromium against the local stack: the town admin of 青石镇 opens it from the team
 * page, invites a mediator and is shown the one-time password once; the page reads at 390 px; the
 * mediator signs in with that password; the admin disables them with a reason, and the mediator's next
 * navigation lands on the sign-in page with the message of a revoked sign-in (401 auth.revoked).
 * The test command builds the web app first; this file never builds it.
 */

const session = browserSession({ landing: '**/town' });
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
const USERNAME = 'qingshi.tiaojie';
let stack: TestStack;

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

describe('the staff page', () => {
  it('invites a mediator, who signs in with the one-time password and is sent to sign-in once disabled', async () => {
    const admin = await newPage(PHONE_390);
    await signIn(admin, 'qingshi.admin');
    await admin.goto(`${stack.url}/town/team`);
    await admin.getByTestId('team-staff-link').click();
    await admin.waitForURL('**/town/team/staff');
    // The header's staff item leads here and is the current one (not the team item above it).
    await expect.poll(() => admin.locator('header nav a[aria-current="page"]').getAttribute('href'), POLL).toBe('/town/team/staff');
    // The seeded staff of other roles are listed with their role and status.
    await admin.locator('[data-testid="staff-row"][data-username="qingshi.mediator"]').waitFor();

    await admin.getByTestId('staff-invite').click();
    await admin.getByTestId('s-username').fill(USERNAME);
    await admin.getByTestId('s-name').fill('调解员 郑和平');
    await admin.getByTestId('s-role').selectOption('mediator');
    await admin.getByTestId('s-submit').click();
    await admin.getByTestId('credentials').waitFor();
    expect((await admin.getByTestId('temp-username').textContent())?.trim()).toBe(USERNAME);
    const password = (await admin.getByTestId('temp-password').textContent())?.trim() ?? '';
    expect(password.length).toBeGreaterThan(8);
    const row = admin.locator(`[data-testid="staff-row"][data-username="${USERNAME}"]`);
    await expect.poll(() => row.getByTestId('staff-status').textContent(), POLL).toBe('在用');
    expect(await scrollsSideways(admin)).toBe(false);
    await admin.screenshot({ path: `${SHOTS}/staff-390.png`, fullPage: true });
    await admin.getByTestId('credentials-dismiss').click();

    // The mediator signs in with the one-time password.
    const mediator = await newPage(PHONE_390);
    await signIn(mediator, USERNAME, password);
    expect(mediator.url()).toContain('/town');

    // The admin disables them with a reason.
    await row.getByTestId('staff-manage').click();
    await row.getByTestId('m-reason').fill('调离调解中心');
    await row.getByTestId('m-disable').click();
    await expect.poll(() => row.getByTestId('staff-status').textContent(), POLL).toBe('已停用');
    expect(stack.directory.enabled(USERNAME)).toBe(false);

    // Their token has not expired, but their next navigation is refused and lands on sign-in.
    await mediator.goto(`${stack.url}/town`);
    await mediator.waitForURL('**/login**');
    expect(mediator.url()).toContain('reason=revoked');
    await mediator.getByTestId('login-revoked').waitFor();
  });
});
