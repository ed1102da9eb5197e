import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readXlsx } from '@gridline/book';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, PHONE, POLL, SHOTS, scrollsSideways } from './browser';

/**
 * The county dashboard in Chromium against the whole local stack: 青石镇 imports the sample book
 * (400 people, 131 households) through the API, then the county admin opens the reports page, rolls
 * up the current month from it, reads the towns side by side, drills down to one town's totals and
 * back, downloads the month's XLSX and checks its figures, reads the page in English and on a
 * phone, and sees the printable view without the controls.
 * The test command builds the web app first; this file never builds it.
 */

// The rollup files of this run go to a folder of its own (the store reads the variable once).
process.env.GRIDLINE_REPORTS_DIR = mkdtempSync(join(tmpdir(), 'gridline-e2e-rollups-'));

const FIXTURES = resolve(import.meta.dirname, '../../packages/book/fixtures');
const session = browserSession({ landing: '**/county', context: () => ({ acceptDownloads: true }) });
const { newPage, signIn } = session;
let stack: TestStack;

/** The month the page opens on: the current one in Asia/Shanghai, as the server reckons it. */
const month = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

async function importSampleBook() {
  const admin = await stack.token('qingshi.admin');
  const bytes = readFileSync(join(FIXTURES, 'book.xlsx'));
  const preview = await stack.call('POST', '/town/imports', {
    token: admin,
    body: { fileName: 'book.xlsx', contentBase64: bytes.toString('base64') },
  });
  expect(preview.status, preview.text).toBe(201);
  const id = (preview.body as { importId: string }).importId;
  expect((await stack.call('POST', `/town/imports/${id}/commit`, { token: admin })).status).toBe(202);
  // beforeAll has no expect.poll: wait by hand, up to a minute.
  for (let i = 0; i < 300; i++) {
    const status = ((await stack.call('GET', `/town/imports/${id}`, { token: admin })).body as { status: string }).status;
    if (status === 'done') return;
    if (status === 'failed') throw new Error('the sample book did not import');
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error('the sample book import did not finish in a minute');
}

/** The figure of one metric in one row of the table (the county row has town id ''). */
const cell = (page: Page, townId: string, metric: string) =>
  page.locator(`[data-testid="rep-row"][data-town-id="${townId}"] td[data-metric="${metric}"] .num`);

beforeAll(async () => {
  stack = await session.start();
  await importSampleBook();
}, 180_000);

afterAll(async () => {
  await session.close();
});

describe('the county dashboard', () => {
  it('rolls up the month, compares the towns, drills down to one and back', async () => {
    const page = await newPage();
    await signIn(page, 'county.admin');
    await page.getByRole('link', { name: '汇总报表' }).click();
    await page.waitForURL('**/county/reports');
    await expect.poll(() => page.getByTestId('rep-period').inputValue(), POLL).toBe(month());

    // The month has not been rolled up in this fresh county: roll it up from the page.
    await page.getByTestId('rep-run-missing').click();
    await expect.poll(() => page.getByTestId('rep-notice').textContent(), POLL).toContain('3 个乡镇');
    await expect.poll(() => page.getByTestId('rep-row').count(), POLL).toBe(4);

    // The county row first, then the towns; the book's 400 people and 131 households are 青石镇's.
    expect(await cell(page, '', 'people').textContent()).toBe('400');
    expect(await cell(page, 'qingshi', 'people').textContent()).toBe('400');
    expect(await cell(page, 'qingshi', 'households').textContent()).toBe('131');
    expect(await cell(page, 'taoyuan', 'people').textContent()).toBe('0');
    const peopleCard = page.locator('[data-testid="rep-kpi"][data-metric="people"] .kpi-value');
    expect(await peopleCard.textContent()).toBe('400');
    // Both charts are drawn.
    await expect.poll(() => page.locator('[data-testid="rep-bars"] canvas').count(), POLL).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="rep-trend"] canvas').count(), POLL).toBeGreaterThan(0);

    // Drill down to 白沙镇 (empty) and to 青石镇: the cards and the full list are that town's.
    await page.locator('[data-testid="rep-row"][data-town-id="baisha"] button').click();
    await expect.poll(() => page.getByTestId('rep-focus').getAttribute('data-town-id'), POLL).toBe('baisha');
    expect(await peopleCard.textContent()).toBe('0');
    await page.locator('[data-testid="rep-row"][data-town-id="qingshi"] button').click();
    await expect.poll(() => page.getByTestId('rep-focus').getAttribute('data-town-id'), POLL).toBe('qingshi');
    expect(new URL(page.url()).searchParams.get('town')).toBe('qingshi');
    expect(await page.getByTestId('rep-town-metrics').textContent()).toContain('户数');
    expect(await page.locator('#trend-title').textContent()).toContain('青石镇');
    // A reload shows the same drill-down (it lives in the address); the back control returns to the county.
    await page.reload();
    await expect.poll(() => page.getByTestId('rep-focus').getAttribute('data-town-id'), POLL).toBe('qingshi');
    await page.getByTestId('rep-back').click();
    await expect.poll(() => page.getByTestId('rep-focus').getAttribute('data-town-id'), POLL).toBe('');
    expect(await page.getByTestId('rep-town-metrics').count()).toBe(0);

    // Another metric for the charts: the table marks its column.
    await page.getByTestId('rep-metric').selectOption('households');
    await expect.poll(() => page.locator('#bars-title').textContent(), POLL).toContain('户数');
    await page.screenshot({ path: `${SHOTS}/gridline-rollup-desk.png`, fullPage: true });

    // Rolling it up again changes nothing but the time it was computed.
    await page.getByTestId('rep-run').click();
    await expect.poll(() => page.getByTestId('rep-run').isEnabled(), POLL).toBe(true);
    expect(await cell(page, '', 'people').textContent()).toBe('400');
  });

  it("downloads the month's XLSX with the same figures", async () => {
    const page = await newPage();
    await signIn(page, 'county.admin');
    await page.goto(`${stack.url}/county/reports?period=${month()}`);
    await expect.poll(() => page.getByTestId('rep-row').count(), POLL).toBe(4);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rep-download-xlsx').click()]);
    expect(download.suggestedFilename()).toBe(`gridline-rollup-${month()}.xlsx`);
    const bytes = readFileSync(await download.path());
    const { rows } = readXlsx(new Uint8Array(bytes));
    // A title row, then the header, the county and the three towns.
    expect(rows[0]?.[0]).toContain(month());
    const header = rows[1] ?? [];
    const people = header.findIndex((h) => h.startsWith('实有人口'));
    const households = header.findIndex((h) => h.startsWith('户数'));
    expect(people).toBeGreaterThan(0);
    const byTown = new Map(rows.slice(2).map((r) => [r[1] ?? '', r]));
    expect(rows.slice(2).map((r) => r[0])).toEqual(['county', 'town', 'town', 'town']);
    expect(byTown.get('')?.[people]).toBe('400');
    expect(byTown.get('qingshi')?.[people]).toBe('400');
    expect(byTown.get('qingshi')?.[households]).toBe('131');
    expect(byTown.get('baisha')?.[people]).toBe('0');
  });

  it('switches to quarters: the current one is rolled up from the page, and its period is in the address', async () => {
    const page = await newPage();
    await signIn(page, 'county.admin');
    await page.goto(`${stack.url}/county/reports?period=${month()}`);
    await expect.poll(() => page.getByTestId('rep-row').count(), POLL).toBe(4);
    await page.getByTestId('rep-kind-quarter').check();
    const quarter = `${month().slice(0, 4)}-Q${Math.floor((Number(month().slice(5)) - 1) / 3) + 1}`;
    await expect.poll(() => page.getByTestId('rep-period').inputValue(), POLL).toBe(quarter);
    expect(await page.getByTestId('rep-period').locator('option').count()).toBe(12);
    await page.getByTestId('rep-run-missing').click();
    await expect.poll(() => page.getByTestId('rep-row').count(), POLL).toBe(4);
    expect(await cell(page, 'qingshi', 'people').textContent()).toBe('400');
    await page.getByTestId('rep-period').selectOption(quarter);
    await expect.poll(() => new URL(page.url()).searchParams.get('period'), POLL).toBe(quarter);
    // Back to months: the month rolled up earlier is there again.
    await page.getByTestId('rep-kind-month').check();
    await expect.poll(() => page.getByTestId('rep-period').inputValue(), POLL).toBe(month());
    await expect.poll(() => page.getByTestId('rep-row').count(), POLL).toBe(4);
  });

  it('reads in English, fits a phone and prints without its controls', async () => {
    const page = await newPage(PHONE);
    await signIn(page, 'county.admin');
    await page.goto(`${stack.url}/county/reports?period=${month()}`);
    await expect.poll(() => page.getByTestId('rep-row').count(), POLL).toBe(4);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-rollup-phone.png`, fullPage: true });

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('County reports');
    expect(await page.locator('.rollup-table thead').textContent()).toContain('Population');
    expect(await page.locator('[data-testid="rep-row"][data-town-id=""] th').textContent()).toContain('County');
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByTestId('lang-switch').click();

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('rep-run').isVisible()).toBe(false);
    expect(await page.getByTestId('rep-period').isVisible()).toBe(false);
    expect(await page.locator('header.bar').isVisible()).toBe(false);
    expect(await page.locator('.print-title').textContent()).toContain('县级汇总报表');
    expect(await page.getByTestId('rep-table').isVisible()).toBe(true);
  });
});
