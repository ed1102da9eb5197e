import { runInScope, townPrefix } from '@gridline/data';
import { type ImportRecord, importsOf } from '@gridline/data/imports';
import { demoBookFile } from '@gridline/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, PHONE, POLL, SHOTS, scrollsSideways } from './browser';

/**
 * The town's imports on the import page, in Chromium against the whole local stack: a committed import
 * keeps running through a reload and the page follows it again (progress continues to done); the list
 * shows who, when, status and counts; a failed import is resumed from the list and finishes. The stack
 * runs in this process, so the pace is slowed here to leave time for the reload.
 * The test command builds the web app first; this file never builds it.
 */
process.env.GRIDLINE_IMPORT_WCU_PER_SECOND = '400';
const LONG = { timeout: 90_000, interval: 200 };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TOWN = 'taoyuan';

const session = browserSession({ landing: '**/town' });
const { newPage, signIn } = session;
let stack: TestStack;
beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

const book = (people: number) => demoBookFile(TOWN, { today: '2026-12-04', people });

/** An import that stopped on every attempt, made outside the page: previewed, queued, then given up. */
async function failedImport(people: number): Promise<string> {
  const file = book(people);
  const r = await stack.call('POST', '/town/imports', {
    token: await stack.token(`${TOWN}.admin`),
    body: { fileName: '补录台账.xlsx', contentBase64: Buffer.from(file.bytes).toString('base64') },
  });
  const importId = (r.body as ImportRecord).importId;
  const admin = {
    kind: 'town' as const,
    townId: TOWN,
    userId: `${TOWN}.admin`,
    username: `${TOWN}.admin`,
    role: 'town_admin' as const,
    scope: { communities: [], grids: [] },
  };
  await runInScope({ requestId: 'e2e-prepare', tenant: TOWN, allowedPrefixes: [townPrefix(TOWN)] }, async () => {
    const imports = importsOf(admin);
    await imports.queue(importId, new Date().toISOString());
    await imports.run(importId, new Date().toISOString(), { policy: { leaseMs: 1000, maxAttempts: 0 } });
  });
  return importId;
}

describe('the import page and the town’s imports', () => {
  it('follows a running import again after a reload, lists it with its counts, and resumes a failed one from the list', async () => {
    const page = await newPage();
    await signIn(page, `${TOWN}.admin`);
    await page.goto(`${stack.url}/town/import`);
    await page.getByTestId('import-history-empty').waitFor();

    await page
      .getByTestId('import-file')
      .setInputFiles({ name: '桃源街道台账.xlsx', mimeType: XLSX, buffer: Buffer.from(book(200).bytes) });
    await expect.poll(() => page.getByTestId('stat-create').textContent(), POLL).toBe('200');
    await page.getByTestId('import-commit').click();
    await expect.poll(() => page.getByTestId('import-run').getAttribute('data-status'), POLL).toBe('running');
    expect(new URL(page.url()).searchParams.get('import')).toMatch(/^i-/);

    // A reload in the middle: the page finds the import again and its progress carries on.
    await page.reload();
    const run = page.getByTestId('import-run');
    await run.waitFor();
    expect(await run.getAttribute('data-status')).toBe('running');
    expect(await page.getByTestId('import-panel').getAttribute('data-phase')).toBe('run');
    await page.screenshot({ path: `${SHOTS}/gridline-import-reattached-desk.png`, fullPage: true });
    await expect.poll(() => run.getAttribute('data-status'), LONG).toBe('done');
    expect(await run.getByTestId('result-created').textContent()).toBe('200');
    expect(await page.getByTestId('import-progress-text').textContent()).toContain('200 / 200');

    // The list: newest first, who, status and counts.
    const first = page.getByTestId('import-history-item').first();
    await expect.poll(() => first.getAttribute('data-status'), POLL).toBe('done');
    expect(await first.textContent()).toContain(`${TOWN}.admin`);
    expect(await first.getByTestId('import-history-counts').textContent()).toContain('200 / 200');

    // Leaving and coming back without a running import starts from the picker.
    await page.goto(`${stack.url}/town/import`);
    await page.getByTestId('import-drop').waitFor();
    expect(await page.getByTestId('import-panel').getAttribute('data-phase')).toBe('choose');

    // A failed import shows with its reason; resuming it from the list runs it to the end.
    const failedId = await failedImport(260);
    await page.reload();
    const failed = page.locator(`[data-testid="import-history-item"][data-import="${failedId}"]`);
    await expect.poll(() => failed.getAttribute('data-status'), POLL).toBe('failed');
    expect(await failed.getByTestId('import-history-reason').textContent()).toContain('已写入的人员会保留');
    await page.screenshot({ path: `${SHOTS}/gridline-import-failed-list-desk.png`, fullPage: true });
    await failed.getByTestId('import-resume').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('import'), POLL).toBe(failedId);
    await expect.poll(() => page.getByTestId('import-run').getAttribute('data-status'), LONG).toBe('done');
    // The first 200 people of the bigger book are already in the book.
    expect(await page.getByTestId('result-created').textContent()).toBe('60');
    expect(await page.getByTestId('result-unchanged').textContent()).toBe('200');
    await expect.poll(() => failed.getAttribute('data-status'), POLL).toBe('done');
  });

  it('lists the imports at phone width without sideways scrolling, in both languages', async () => {
    const page = await newPage(PHONE);
    await signIn(page, `${TOWN}.admin`);
    await page.goto(`${stack.url}/town/import`);
    await expect.poll(() => page.getByTestId('import-history-item').count(), POLL).toBe(2);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-import-history-phone.png`, fullPage: true });
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('import-history').locator('h2').textContent(), POLL).toBe('Imports');
    expect(await page.getByTestId('import-history-status').first().textContent()).toBe('Done');
    expect(await scrollsSideways(page)).toBe(false);
  });
});
