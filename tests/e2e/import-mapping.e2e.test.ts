import { type UnseenBook, unseenBook, unseenUtf8 } from '@gridline/book/testing/unseen';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, PHONE, SHOTS, scrollsSideways } from './browser';

/**
 * The import page's mapping step and the org chart from the book, in Chromium against the whole local
 * stack: a town provisioned for this test (no communities, no grids) imports a book in its own column
 * names, one of which (门户编码, the household number) neither its name nor its values can place. The
 * page shows the refusal and the mapping it used, the user maps the column and previews again, ticks
 * "create them with this import" for the communities and grids the book names, commits, and the run
 * finishes with every row created. A second upload of the same headers needs no choice (the mapping
 * is remembered for the town), at phone width. The test command builds the web app first.
 */
const TOWN = 'liuhe';
const POLL = { timeout: 20_000, interval: 100 };
const LONG = { timeout: 90_000, interval: 200 };

const session = browserSession({ landing: '**/town' });
const { newPage, signIn } = session;
let stack: TestStack;
let password = '';
/** Small enough to have no damaged rows: every row is importable once the column is mapped. */
const book: UnseenBook = unseenBook(24);
const rows = book.rows.length;

beforeAll(async () => {
  stack = await session.start();
  const made = await stack.call('PUT', `/admin/towns/${TOWN}`, {
    token: await stack.token('county.admin'),
    body: { name: '柳河镇', admin: { username: `${TOWN}.admin`, displayName: '孙丽' } },
  });
  expect(made.status, made.text).toBe(201);
  password = (made.body as { initialCredentials?: { temporaryPassword: string } }).initialCredentials?.temporaryPassword ?? '';
  expect(password).not.toBe('');
});
afterAll(() => session.close());

async function upload(page: Page, name: string, from: UnseenBook = book) {
  await page.goto(`${stack.url}/town/import`);
  await page.getByTestId('import-drop').waitFor();
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(unseenUtf8(from)) });
}

const row = (page: Page, header: string) => page.locator(`[data-testid="mapping-row"][data-header="${header}"]`);

describe('the mapping step and the org chart from the book', () => {
  it('maps the column it could not place, creates the communities and grids the book names, and imports every row', async () => {
    expect(rows).toBeGreaterThan(40);
    const page = await newPage();
    await signIn(page, `${TOWN}.admin`, password);
    await upload(page, '柳河镇登记表.csv');

    // Refused as a whole, naming the column nobody could place, and still showing how it read the rest.
    const errors = page.getByTestId('file-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('门户编码');
    await page.getByTestId('import-mapping').waitFor();
    expect(await page.getByTestId('mapping-row').count()).toBe(book.header.length);
    expect(await row(page, '门户编码').getAttribute('data-field')).toBe('');
    expect(await row(page, '居民姓名').getAttribute('data-field')).toBe('name');
    expect(await row(page, '居民姓名').getAttribute('data-how')).toBe('alias');
    expect(await row(page, '身份证件号').getAttribute('data-how')).toBe('content');
    // The evidence of a column placed by its values, in the page's language.
    expect(await row(page, '身份证件号').getByTestId('mapping-evidence').textContent()).toMatch(/\d/);
    expect(await row(page, '身份证件号').getByTestId('mapping-how').textContent()).toBe('依据：内容');
    const ignored = (await page.getByTestId('mapping-ignored').textContent()) ?? '';
    expect(ignored).toContain('门户编码');
    expect(ignored).toContain('籍贯');
    // The header warnings reach the page (籍贯 is a column the book does not know).
    expect(await page.getByTestId('import-warnings').textContent()).toContain('籍贯');
    await page.screenshot({ path: `${SHOTS}/gridline-import-mapping-refused-desk.png`, fullPage: true });

    // Map it and preview again: the file is usable, and the page says the user decided that column.
    await row(page, '门户编码').getByTestId('mapping-select').selectOption('householdNo');
    await page.getByTestId('mapping-again').click();
    await page.getByTestId('import-summary').waitFor(POLL);
    expect(await page.getByTestId('file-errors').count()).toBe(0);
    await expect.poll(() => row(page, '门户编码').getAttribute('data-how'), POLL).toBe('user');
    expect(await row(page, '门户编码').getAttribute('data-field')).toBe('householdNo');

    // The town has no org chart: every row names a grid the town lacks, so all are refused and nothing
    // can be committed; the page offers to create what the book names.
    const org = page.getByTestId('import-org');
    await org.waitFor();
    expect(await page.getByTestId('stat-rejected').textContent()).toBe(String(rows));
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    expect(await page.getByTestId('org-create').isChecked()).toBe(false);

    // Ticking it previews again: the units to create are listed, and every row is now importable.
    await page.getByTestId('org-create').check();
    await expect.poll(() => page.getByTestId('stat-create').textContent(), POLL).toBe(String(rows));
    expect(await page.getByTestId('stat-rejected').textContent()).toBe('0');
    expect(await page.getByTestId('org-create').isChecked()).toBe(true);
    const communities = await org.getByTestId('org-community').allTextContents();
    expect(communities.sort()).toEqual([...new Set(book.org.map((o) => o.community))].sort());
    expect(await org.getByTestId('org-grid').count()).toBe(book.org.length);
    expect(await page.getByTestId('org-near-misses').count()).toBe(0);
    // The user's mapping survived the second preview.
    expect(await row(page, '门户编码').getAttribute('data-field')).toBe('householdNo');
    await page.screenshot({ path: `${SHOTS}/gridline-import-mapping-org-desk.png`, fullPage: true });

    await page.getByTestId('import-commit').click();
    const run = page.getByTestId('import-run');
    await run.waitFor();
    await expect.poll(() => run.getAttribute('data-status'), LONG).toBe('done');
    expect(await run.getByTestId('result-created').textContent()).toBe(String(rows));
    expect(await run.getByTestId('result-failed').textContent()).toBe('0');

    // The org chart now has what the book named.
    await page.goto(`${stack.url}/town`);
    await expect
      .poll(() => page.getByTestId('counter-communities').textContent(), POLL)
      .toBe(String(new Set(book.org.map((o) => o.community)).size));
  }, 180_000);

  it('remembers the mapping for the town: the same headers again need no choice (phone width, no sideways scroll)', async () => {
    const page = await newPage(PHONE);
    await signIn(page, `${TOWN}.admin`, password);
    await upload(page, '柳河镇登记表-再次.csv');
    await page.getByTestId('import-summary').waitFor(POLL);
    expect(await page.getByTestId('file-errors').count()).toBe(0);
    await expect.poll(() => row(page, '门户编码').getAttribute('data-how'), POLL).toBe('user');
    expect(await row(page, '门户编码').getAttribute('data-field')).toBe('householdNo');
    expect(await page.getByTestId('import-org').count()).toBe(0);
    expect(await page.getByTestId('stat-unchanged').textContent()).toBe(String(rows));
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-import-mapping-phone.png`, fullPage: true });

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('import-mapping').locator('h4').textContent(), POLL).toBe('Columns');
    expect(await row(page, '门户编码').getByTestId('mapping-how').textContent()).toBe('By: your choice');
    expect(await scrollsSideways(page)).toBe(false);
  }, 120_000);

  it('shows a community one character from an existing one as a near-miss whose rows are refused, never created', async () => {
    const COMMUNITY = book.header.indexOf('社区');
    const typo: UnseenBook = { ...book, rows: book.rows.map((r) => (r[COMMUNITY] === '桥东社区' ? r.with(COMMUNITY, '桥冬社区') : r)) };
    const refused = typo.rows.filter((r) => r[COMMUNITY] === '桥冬社区').length;
    expect(refused).toBeGreaterThan(0);
    const page = await newPage();
    await signIn(page, `${TOWN}.admin`, password);
    await upload(page, '柳河镇登记表-错字.csv', typo);
    const near = page.getByTestId('org-near-misses');
    await near.waitFor(POLL);
    const text = (await near.getByTestId('org-near-miss').allTextContents()).join('\n');
    expect(text).toContain('“桥冬社区”');
    expect(text).toContain('“桥东社区”');
    expect(await page.getByTestId('stat-rejected').textContent()).toBe(String(refused));
    // Nothing to create: the near-miss is not offered for creation.
    expect(await page.getByTestId('import-org').count()).toBe(0);
  }, 120_000);
});
