import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, PASSWORD, PHONE, POLL, SHOTS, type StorageLike, scrollsSideways, type Win } from './browser';

/**
 * The web app end to end, in Chromium, against the whole local stack: county IT provisions a town,
 * reads the one-time password off the page, and the new town admin signs in with it.
 * The test command builds the web app first; this file never builds it.
 */

/** Signing in does not wait for a landing page: the tests wait for the one each user should reach. */
const session = browserSession();
const { newPage, signIn } = session;
let stack: TestStack;

const path = (page: Page) => new URL(page.url()).pathname;

beforeAll(async () => {
  stack = await session.start();
});

afterAll(() => session.close());

describe('web app', () => {
  it('county IT provisions a town and its new admin signs in with the one-time password', async () => {
    const page = await newPage();

    // Not signed in: the home page sends us to the login page, in Chinese.
    await page.goto(`${stack.url}/`);
    await page.waitForURL('**/login**');
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('登录');

    // A wrong password is answered through the message catalog.
    await signIn(page, 'county.admin', 'not-the-password');
    await expect.poll(() => page.getByTestId('error').textContent(), POLL).toContain('账号或密码错误');

    await signIn(page, 'county.admin', PASSWORD);
    await page.waitForURL('**/county');
    const rows = page.getByTestId('town-row');
    await rows.first().waitFor();
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-town-id')));
    expect(ids).toEqual(expect.arrayContaining(['qingshi', 'taoyuan', 'baisha']));
    await expect.poll(() => page.getByTestId('count-towns').textContent(), POLL).toBe('3');
    await page.screenshot({ path: `${SHOTS}/gridline-county-desk.png`, fullPage: true });

    // Client-side checks mirror the server's rules, beside each field.
    await page.getByTestId('provision-toggle').click();
    await page.getByTestId('provision-submit').click();
    await expect.poll(() => page.getByTestId('townId-error').textContent(), POLL).toContain('必填');
    await page.locator('#townId').fill('1-Bad Id');
    await page.locator('#adminUsername').fill('Bad Name');
    await expect.poll(() => page.getByTestId('townId-error').textContent(), POLL).toContain('小写字母');
    await expect.poll(() => page.getByTestId('adminUsername-error').textContent(), POLL).toContain('小写字母');
    await page.screenshot({ path: `${SHOTS}/gridline-provision-errors-desk.png`, fullPage: true });

    await page.locator('#townId').fill('hongqiao');
    await page.locator('#name').fill('虹桥镇');
    await page.locator('#nameEn').fill('Hongqiao Town');
    await page.locator('#adminUsername').fill('hongqiao.admin');
    await page.locator('#adminDisplayName').fill('陈晓梅');
    await page.getByTestId('provision-submit').click();

    // The temporary password is shown once, with a copy button.
    const secret = page.getByTestId('temp-password');
    await secret.waitFor();
    const temporaryPassword = ((await secret.textContent()) ?? '').trim();
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(8);
    await expect.poll(() => page.getByTestId('temp-username').textContent(), POLL).toBe('hongqiao.admin');
    await expect.poll(() => page.getByTestId('copy-password').isVisible(), POLL).toBe(true);
    await page.locator('[data-town-id="hongqiao"]').waitFor();
    await expect.poll(() => page.locator('[data-town-id="hongqiao"] [data-status]').getAttribute('data-status'), POLL).toBe('active');
    await expect.poll(() => page.getByTestId('count-towns').textContent(), POLL).toBe('4');
    await page.screenshot({ path: `${SHOTS}/gridline-credentials-desk.png`, fullPage: true });
    await page.getByTestId('credentials-dismiss').click();
    await expect.poll(() => page.getByTestId('temp-password').count(), POLL).toBe(0);

    // The server's field errors appear beside the field they name.
    await page.getByTestId('provision-toggle').click();
    await page.locator('#townId').fill('xinqiao');
    await page.locator('#name').fill('新桥镇');
    await page.locator('#adminUsername').fill('qingshi.admin');
    await page.locator('#adminDisplayName').fill('王建国');
    await page.getByTestId('provision-submit').click();
    await expect.poll(() => page.getByTestId('adminUsername-error').textContent(), POLL).toContain('已被其他乡镇或角色占用');
    await page.locator('#townId').fill('hongqiao');
    await page.locator('#adminUsername').fill('hongqiao.admin');
    await page.getByTestId('provision-submit').click();
    await expect.poll(() => page.getByTestId('townId-error').textContent(), POLL).toContain('已被其他乡镇使用');

    // Sign out; the new admin signs in with the one-time password and finds an empty town.
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/login**');
    await signIn(page, 'hongqiao.admin', temporaryPassword);
    await page.waitForURL('**/town');
    await expect.poll(() => page.getByTestId('town-name').textContent(), POLL).toBe('虹桥镇');
    await expect.poll(() => page.getByTestId('hierarchy-empty').textContent(), POLL).toContain('本镇还没有建立社区和网格');
    await expect.poll(() => page.getByTestId('counter-communities').textContent(), POLL).toBe('0');
    await expect.poll(() => page.locator('[data-testid="town-head"] [data-status]').textContent(), POLL).toContain('正常');
    await page.screenshot({ path: `${SHOTS}/gridline-town-empty-desk.png`, fullPage: true });

    // English is one click away, and the choice survives a reload.
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('hierarchy-empty').textContent(), POLL).toContain('no communities or grids');
    await expect.poll(() => page.locator('#hierarchy-title').textContent(), POLL).toBe('Organisation');
    await page.reload();
    await expect.poll(() => page.getByTestId('hierarchy-empty').textContent(), POLL).toContain('no communities or grids');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as Win).document.documentElement.lang), POLL).toBe('en');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('#hierarchy-title').textContent(), POLL).toBe('组织架构');

    // A town user who opens the county console is sent to their own home.
    await page.goto(`${stack.url}/county`);
    await page.waitForURL('**/town');
    expect(path(page)).toBe('/town');
  });

  it('a full town at phone width: tree, staff list, no sideways scroll', async () => {
    const page = await newPage(PHONE);
    await signIn(page, 'qingshi.admin', PASSWORD);
    await page.waitForURL('**/town');
    await page.getByTestId('hierarchy-tree').waitFor();
    await page.getByTestId('staff-table').waitFor();
    await expect.poll(() => page.getByTestId('town-name').textContent(), POLL).toBe('青石镇');
    await expect.poll(() => page.getByTestId('hierarchy-tree').textContent(), POLL).toContain('QS-01');
    await expect.poll(() => page.getByTestId('staff-table').textContent(), POLL).toContain('网格员');
    await page.getByText('全部展开').click();
    await expect.poll(() => page.getByTestId('hierarchy-tree').getByText('4栋').first().isVisible(), POLL).toBe(true);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-town-phone.png`, fullPage: true });

    // A grid coordinator sees the tree but not the staff list.
    const coordinator = await newPage(PHONE);
    await signIn(coordinator, 'qingshi.grid1', PASSWORD);
    await coordinator.waitForURL('**/town');
    await coordinator.getByTestId('hierarchy-tree').waitFor();
    await expect.poll(() => coordinator.getByTestId('staff-table').count(), POLL).toBe(0);

    const county = await newPage(PHONE);
    await signIn(county, 'county.admin', PASSWORD);
    await county.waitForURL('**/county');
    await county.getByTestId('town-row').first().waitFor();
    expect(await scrollsSideways(county)).toBe(false);
    await county.screenshot({ path: `${SHOTS}/gridline-county-phone.png`, fullPage: true });
    await county.getByTestId('provision-toggle').click();
    expect(await scrollsSideways(county)).toBe(false);
    await county.screenshot({ path: `${SHOTS}/gridline-provision-phone.png`, fullPage: true });

    const login = await newPage(PHONE);
    await login.goto(`${stack.url}/login`);
    await login.locator('#username').waitFor();
    expect(await scrollsSideways(login)).toBe(false);
    await login.screenshot({ path: `${SHOTS}/gridline-login-phone.png`, fullPage: true });
  });

  it('a suspended town sees the suspension page until it is resumed', async () => {
    const county = await newPage();
    await signIn(county, 'county.admin', PASSWORD);
    await county.waitForURL('**/county');
    const row = county.locator('[data-town-id="baisha"]');
    await row.getByTestId('suspend').click();
    await county.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
    await row.getByTestId('resume').waitFor();
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), POLL).toBe('suspended');
    await expect.poll(() => county.getByTestId('count-suspended').textContent(), POLL).toBe('1');

    const user = await newPage(PHONE);
    await signIn(user, 'baisha.admin', PASSWORD);
    await user.waitForURL('**/suspended');
    await expect.poll(() => user.getByTestId('suspended').textContent(), POLL).toContain('本镇已暂停服务');
    expect(await scrollsSideways(user)).toBe(false);
    await user.screenshot({ path: `${SHOTS}/gridline-suspended-phone.png`, fullPage: true });

    await row.getByTestId('resume').click();
    await county.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
    await row.getByTestId('suspend').waitFor();
    await user.getByRole('button', { name: '重新检查' }).click();
    await user.waitForURL('**/town');
    await user.getByTestId('town-name').waitFor();
    await expect.poll(() => user.getByTestId('town-name').textContent(), POLL).toBe('白沙镇');
  });

  it('an unknown address shows the not-found page', async () => {
    const page = await newPage();
    await page.goto(`${stack.url}/no/such/page`);
    await expect.poll(() => page.getByTestId('not-found').textContent(), POLL).toContain('页面不存在');
  });

  it('a token the API refuses (401) ends the session and returns to the login page', async () => {
    const page = await newPage();
    await signIn(page, 'county.admin', PASSWORD);
    await page.waitForURL('**/county');
    // Same claims, broken signature: the client still thinks it is signed in, the JWT check does not.
    await page.evaluate(() => {
      const { sessionStorage } = globalThis as unknown as Win;
      const token = sessionStorage.getItem('gridline.idToken') ?? '';
      sessionStorage.setItem('gridline.idToken', `${token.slice(0, -6)}AAAAAA`);
    });
    await page.reload();
    await page.waitForURL('**/login?**');
    expect(new URL(page.url()).searchParams.get('reason')).toBe('expired');
    await expect.poll(() => page.locator('[role="status"]').first().textContent(), POLL).toContain('登录已失效');
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as Win).sessionStorage.getItem('gridline.idToken')), POLL)
      .toBeNull();
    // Nothing but the token (now gone) and the language choice is stored.
    const stored = await page.evaluate(() => {
      const w = globalThis as unknown as Win;
      const keys = (s: StorageLike) => Array.from({ length: s.length }, (_, i) => s.key(i));
      return { local: keys(w.localStorage), session: keys(w.sessionStorage) };
    });
    expect(stored.local.filter((k) => k !== 'gridline.lang')).toEqual([]);
    // (SvelteKit keeps its own scroll positions and snapshots there; they hold no data.)
    expect(stored.session.filter((k) => !k?.startsWith('sveltekit:'))).toEqual([]);
  });
});
