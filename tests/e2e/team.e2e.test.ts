import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, SHOTS, scrollsSideways } from './browser';
import { inspectTrainAppoint, stage, step } from './team-steps';

/**
 * The team pages in Chromium against the local stack: the town admin of 青石镇 records a publicly
 * recommended candidate, inspects, trains and appoints them to 第一网格 (qs-g1) of 青石社区 with a post,
 * sees them in the coverage matrix, names them the grid's responsible coordinator, and still sees a
 * gap on another grid; then the list, the record and the matrix at a 390 px phone width; then the new
 * coordinator signs in with the one-time password the appointment gave, sees only their grid, is
 * dismissed, and their next request sends them back to the sign-in page (401 auth.revoked), where
 * the account no longer signs in.
 * The test command builds the web app first; this file never builds it.
 */

const session = browserSession({ landing: '**/town' });
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
const NAME = '林小梅';
let stack: TestStack;
/** The sign-in the appointment opened for 林小梅, as the record page showed it once. */
let account: { username: string; password: string } | undefined;

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

describe('the team', () => {
  it('walks a candidate from recommendation to appointment, then the coverage matrix shows them and a gap', async () => {
    const page = await newPage();
    await signIn(page, 'qingshi.admin');
    await page.getByRole('link', { name: '协管员队伍' }).first().click();
    await page.waitForURL('**/town/team');

    // 公开推荐.
    await page.getByTestId('team-recommend').click();
    await page.getByTestId('r-name').fill(NAME);
    await page.getByTestId('r-community').selectOption('qingshi-sq');
    await page.getByTestId('r-by').fill('青石社区居民代表会议');
    await page.getByTestId('r-votes').fill('45');
    await page.getByTestId('r-submit').click();
    await page.waitForURL(/\/town\/team\/[^/]+$/);
    await expect.poll(() => stage(page), POLL).toBe('candidate');

    // 社区考察 → 岗前培训 → 上岗.
    await inspectTrainAppoint(page, {
      findings: '群众基础好，熟悉网格情况。',
      courses: '政策法规\n入户走访',
      hours: '16',
      grid: 'qs-g1',
      post: 'legal_publicity',
      document: '青石镇任〔2026〕7号',
    });
    // The appointment opened their sign-in: the one-time password is shown once, for the admin to hand over.
    await page.getByTestId('credentials').waitFor();
    account = {
      username: (await page.getByTestId('temp-username').textContent())?.trim() ?? '',
      password: (await page.getByTestId('temp-password').textContent())?.trim() ?? '',
    };
    expect(account.username).toMatch(/^qingshi\./);
    await page.getByTestId('credentials-dismiss').click();
    expect(await page.getByTestId('credentials').count()).toBe(0);
    await expect.poll(() => page.getByTestId('history-entry').count(), POLL).toBe(4);
    expect(await page.getByTestId('record-appointment').textContent()).toContain('第一网格');
    // Appointed: what follows is transfer, dismissal or leaving.
    expect(await page.getByTestId('step-dismiss').count()).toBe(1);

    // The coverage matrix of 青石社区: the new coordinator in qs-g1's cell, the grid still without a responsible person.
    await page.getByTestId('team-back').click();
    await page.getByTestId('team-coverage-link').click();
    await page.getByTestId('coverage-community').selectOption('qingshi-sq');
    const row = (gridId: string) => page.locator(`[data-testid="coverage-row"][data-grid="${gridId}"]`);
    await row('qs-g1').waitFor();
    expect(await row('qs-g1').locator('[data-testid="coverage-cell"][data-post="legal_publicity"]').textContent()).toContain(NAME);

    // Naming them the grid's responsible coordinator closes that gap; another grid of the community stays one.
    await row('qs-g1').getByTestId('coverage-name-select').selectOption({ label: NAME });
    await row('qs-g1').getByTestId('coverage-name').click();
    await expect.poll(() => row('qs-g1').getAttribute('data-gap'), POLL).toBe('no');
    expect(await row('qs-g1').getByTestId('coverage-responsible').textContent()).toContain(NAME);
    await expect.poll(() => page.locator('[data-testid="coverage-row"][data-gap="yes"]').count(), POLL).toBeGreaterThan(0);
    expect(await page.getByTestId('coverage-gap-grids').isVisible()).toBe(true);
  });

  it('reads the list by stage, the record and the matrix at 390 px', async () => {
    const page = await newPage(PHONE_390);
    await signIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/team`);
    await page.getByTestId('team-filter-appointed').click();
    await page.waitForURL('**/town/team?stage=appointed');
    const rows = page.getByTestId('team-row');
    await expect.poll(() => rows.filter({ hasText: NAME }).count(), POLL).toBe(1);
    // Only appointed people are listed under that filter.
    const stages = await rows.getByTestId('stage-badge').evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')));
    expect(new Set(stages)).toEqual(new Set(['appointed']));
    expect(await scrollsSideways(page)).toBe(false);

    await rows.filter({ hasText: NAME }).click();
    await page.getByTestId('history').waitFor();
    await page.screenshot({ path: `${SHOTS}/team-record-390.png`, fullPage: true });
    expect(await scrollsSideways(page)).toBe(false);

    await page.goto(`${stack.url}/town/team/coverage?community=qingshi-sq`);
    await page.getByTestId('coverage-matrix').waitFor();
    await page.screenshot({ path: `${SHOTS}/team-coverage-390.png`, fullPage: true });
    // The matrix scrolls inside its own box; the page itself does not.
    expect(await scrollsSideways(page)).toBe(false);
  });

  it('lets the new coordinator sign in to their grid alone, and refuses their next request once dismissed', async () => {
    if (!account) throw new Error('the appointment above showed no sign-in');
    const phone = await newPage(PHONE_390);
    await signIn(phone, account.username, account.password);
    await phone.goto(`${stack.url}/town/book`);
    const picker = phone.getByTestId('grid-picker');
    await picker.waitFor();
    const grids = await picker
      .locator('option')
      .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value).filter(Boolean));
    expect(grids).toEqual(['qs-g1']);

    // The town admin dismisses them on their record.
    const admin = await newPage();
    await signIn(admin, 'qingshi.admin');
    await admin.goto(`${stack.url}/town/team?stage=appointed`);
    await admin.getByTestId('team-row').filter({ hasText: NAME }).click();
    await step(admin, 'dismiss', async () => admin.getByTestId('f-reason').fill('连续三个月未按要求入户走访。'), 'dismissed');

    // Their token is still unexpired, but the next request is refused and the page goes to sign-in.
    await phone.reload();
    await phone.waitForURL('**/login**');
    // And the account itself is disabled: signing in again does not get past the login page.
    await phone.locator('#username').fill(account.username);
    await phone.locator('#password').fill(account.password);
    await phone.getByTestId('login-submit').click();
    await phone.getByTestId('error').waitFor();
    expect(phone.url()).toContain('/login');
  });
});
