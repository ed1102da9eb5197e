import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, SHOTS, scrollsSideways } from './browser';

/**
 * Posts and duties (定岗定责) in Chromium against the local stack: the town admin of 青石镇 opens the
 * post catalogue from the team page, adds a post, writes its duties, edits them, and sees version 2 as
 * the current duties with version 1 kept in the versions and the history; renames a post and retires
 * and restores it; then the catalogue and the post's page at a 390 px phone width.
 * The test command builds the web app first; this file never builds it.
 */

const session = browserSession({ landing: '**/town' });
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
const V1 = '汛期每天巡查河堤一次，发现险情立即上报镇防汛办。';
const V2 = '汛期每天巡查河堤两次，发现险情立即上报镇防汛办，并协助转移群众。';
let stack: TestStack;

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

const row = (page: Page, postId: string) => page.locator(`[data-testid="post-row"][data-post="${postId}"]`);

async function writeDuties(page: Page, text: string, day: string) {
  await page.getByTestId('duties-edit').click();
  await page.getByTestId('d-text').fill(text);
  await page.getByTestId('d-effective').fill(day);
  await page.getByTestId('d-save').click();
  await page.getByTestId('duties-form').waitFor({ state: 'detached' });
}

describe('posts and duties', () => {
  it('adds a post, writes its duties, edits them, and keeps version 1 beside the current version 2', async () => {
    const page = await newPage();
    await signIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/team`);
    await page.getByTestId('team-posts-link').click();
    await page.waitForURL('**/town/team/posts');
    // The seven posts of provisioning, each with the demo's duties.
    await expect.poll(() => page.getByTestId('post-row').count(), POLL).toBe(7);
    expect(await row(page, 'mediator').textContent()).toContain('人民调解员');

    await page.getByTestId('post-add').click();
    await page.getByTestId('p-id').fill('flood_patrol');
    await page.getByTestId('p-zh').fill('防汛巡查员');
    await page.getByTestId('p-en').fill('Flood patrol');
    await page.getByTestId('p-submit').click();
    await page.waitForURL('**/town/team/posts/flood_patrol');
    expect(await page.getByTestId('post-title').textContent()).toContain('防汛巡查员');
    await page.getByTestId('duties-none').waitFor();

    await writeDuties(page, V1, '2026-12-01');
    await expect.poll(() => page.getByTestId('duties-text').textContent(), POLL).toBe(V1);
    await writeDuties(page, V2, '2027-01-01');
    await expect.poll(() => page.getByTestId('duties-text').textContent(), POLL).toBe(V2);
    expect(await page.getByTestId('duties-version').textContent()).toContain('第 2 版');

    // Both versions, newest first, each with its own text; the history names each change.
    const versions = page.getByTestId('duties-version-entry');
    await expect.poll(() => versions.evaluateAll((els) => els.map((e) => e.getAttribute('data-version'))), POLL).toEqual(['2', '1']);
    expect(await versions.nth(1).textContent()).toContain(V1);
    expect(await versions.nth(0).textContent()).toContain(V2);
    const kinds = await page.getByTestId('post-history-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['duties', 'duties', 'added']);

    // Back in the catalogue: the post shows its duties version; renamed, retired and restored there.
    await page.getByTestId('posts-back').click();
    await page.waitForURL('**/town/team/posts');
    await expect.poll(() => row(page, 'flood_patrol').textContent(), POLL).toContain('职责第 2 版');
    await row(page, 'flood_patrol').getByTestId('post-rename').click();
    await page.getByTestId('r-zh').fill('防汛员');
    await page.getByTestId('r-submit').click();
    await expect.poll(() => row(page, 'flood_patrol').textContent(), POLL).toContain('防汛员');
    await row(page, 'flood_patrol').getByTestId('post-retire').click();
    await expect.poll(() => row(page, 'flood_patrol').textContent(), POLL).toContain('已停用');
    await row(page, 'flood_patrol').getByTestId('post-restore').click();
    await expect.poll(() => row(page, 'flood_patrol').textContent(), POLL).toContain('在用');
    // A post a coordinator holds is not retired: the refusal is shown in Chinese, and the post stays in use.
    await row(page, 'mediator').getByTestId('post-retire').click();
    await expect.poll(() => page.getByText('仍有协管员担任这个岗位').count(), POLL).toBeGreaterThan(0);
    expect(await row(page, 'mediator').textContent()).toContain('在用');
  });

  it('reads the catalogue and a post at 390 px without scrolling sideways', async () => {
    const page = await newPage(PHONE_390);
    await signIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/team/posts`);
    await expect.poll(() => page.getByTestId('post-row').count(), POLL).toBeGreaterThan(6);
    await page.screenshot({ path: `${SHOTS}/posts-390.png`, fullPage: true });
    expect(await scrollsSideways(page)).toBe(false);
    await row(page, 'mediator').getByTestId('post-link').click();
    await page.getByTestId('duties-text').waitFor();
    await page.getByTestId('duties-edit').click();
    await page.getByTestId('d-text').waitFor();
    await page.screenshot({ path: `${SHOTS}/post-390.png`, fullPage: true });
    expect(await scrollsSideways(page)).toBe(false);
  });
});
