import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession, POLL } from './browser';

/**
 * Org-chart editing in Chromium against the local stack: the town admin adds a community, a grid in it
 * and a courtyard, renames the grid, reads its history, and retires the courtyard.
 * The test command builds the web app first; this file never builds it.
 */

const session = browserSession({ landing: '**/town' });
const { newPage, signIn } = session;

beforeAll(async () => {
  await session.start();
});

afterAll(() => session.close());

describe('org chart editing', () => {
  it('adds, renames, shows history and retires', async () => {
    const page = await newPage();
    await signIn(page, 'qingshi.admin');
    await page.getByTestId('hierarchy-tree').waitFor();

    // A community.
    await page.getByTestId('org-add-community').click();
    await page.getByTestId('org-name').fill('新风社区');
    await page.getByTestId('org-submit').click();
    const community = page.locator('[data-testid^="org-community-"]', { hasText: '新风社区' });
    await community.waitFor();

    // A grid in it.
    await community.getByTestId('org-add-grid').first().click();
    await page.getByTestId('org-name').fill('新风一网格');
    await page.getByTestId('org-code').fill('XF-01');
    await page.getByTestId('org-submit').click();
    const grid = community.locator('[data-testid^="org-grid-"]', { hasText: '新风一网格' });
    await grid.waitFor();
    await grid.locator('summary').click();

    // A courtyard in the grid.
    await grid.getByTestId('org-add-courtyard').click();
    await page.getByTestId('org-name').fill('新风苑1栋');
    await page.getByTestId('org-submit').click();
    const yard = grid.locator('[data-testid^="org-courtyard-"]', { hasText: '新风苑1栋' });
    await yard.waitFor();

    // Rename the grid.
    await grid.getByTestId('org-rename').first().click();
    await page.getByTestId('org-name').fill('新风第一网格');
    await page.getByTestId('org-submit').click();
    const renamed = community.locator('[data-testid^="org-grid-"]', { hasText: '新风第一网格' });
    await renamed.waitFor();

    // Its history shows the creation and the rename.
    if (!(await renamed.getByTestId('org-add-courtyard').isVisible())) await renamed.locator('summary').click();
    await renamed.locator('.actions').getByTestId('org-history').click();
    await page.getByTestId('org-history-list').waitFor();
    await expect.poll(() => page.getByTestId('org-event').count(), POLL).toBeGreaterThanOrEqual(2);
    const text = await page.getByTestId('org-history-list').textContent();
    expect(text).toContain('新建');
    await page.getByTestId('org-history-sheet').getByRole('button', { name: '关闭' }).click();

    // Retire the courtyard: it stays, marked retired.
    const yard2 = renamed.locator('[data-testid^="org-courtyard-"]', { hasText: '新风苑1栋' });
    await yard2.getByTestId('org-retire').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => yard2.textContent(), POLL).toContain('已撤销');
    expect(await yard2.getByTestId('org-retire').count()).toBe(0);
  });
});
