import { readFileSync } from 'node:fs';
import { readXlsx } from '@gridline/book';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, scrollsSideways } from './browser';

/**
 * The training ledger in Chromium against the local stack: the town admin of 青石镇 opens the ledger
 * from the team page, records a course, marks one person of the team as attended and passed, sees
 * their hours in the ledger's bars and on their record, and downloads the year as XLSX, which reads back
 * with the course and the person; all at a 390 px phone width.
 * The test command builds the web app first; this file never builds it.
 */

const session = browserSession({ landing: '**/town', context: () => ({ acceptDownloads: true }) });
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
const TITLE = '应急处置演练';
let stack: TestStack;

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

describe('the training ledger', () => {
  it('records a course, marks attendance, shows the hours and downloads the year as XLSX, at 390 px', async () => {
    const page = await newPage(PHONE_390);
    await signIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/team`);
    await page.getByTestId('team-training-link').click();
    await page.waitForURL('**/town/team/training');
    // The demo ledger of this year is there.
    await expect.poll(() => page.getByTestId('training-course').count(), POLL).toBeGreaterThan(0);
    expect(await scrollsSideways(page)).toBe(false);

    // 登记课程.
    await page.getByTestId('training-create').click();
    await page.getByTestId('c-title').fill(TITLE);
    await page.getByTestId('c-hours').fill('2.5');
    await page.getByTestId('c-trainer').fill('镇应急办');
    await page.getByTestId('c-submit').click();
    await page.waitForURL(/\/town\/team\/training\/[^/?]+$/);
    expect(await page.getByTestId('course-title').textContent()).toContain(TITLE);

    // Mark the first person offered: listed, attended, passed.
    const row = page.getByTestId('attendance-row').first();
    await row.waitFor();
    const coordinatorId = (await row.getAttribute('data-id')) as string;
    await row.getByTestId('attendance-listed').check();
    await row.getByTestId('attendance-result').selectOption('passed');
    await page.getByTestId('attendance-save').click();
    await page.getByTestId('attendance-saved').waitFor();
    expect(await page.getByTestId('course-facts').textContent()).toContain('1 人计学时');
    expect(await scrollsSideways(page)).toBe(false);

    // The person's hours, as the API counts them, in the ledger's bars and on their record.
    const token = await stack.token('qingshi.admin');
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    const mine = (await stack.call('GET', `/town/team/${coordinatorId}/training/${year}`, { token })).body as {
      name: string;
      hours: number;
      courses: Array<{ title: string; result: string }>;
    };
    expect(mine.courses.find((c) => c.title === TITLE)?.result).toBe('passed');
    await page.getByTestId('training-back').click();
    await page.waitForURL('**/town/team/training?year=*');
    const bar = page.locator(`[data-testid="training-person"][data-id="${coordinatorId}"]`);
    await expect
      .poll(async () => (await bar.count()) && (await bar.getByTestId('training-person-hours').textContent()), POLL)
      .toBe(`${mine.hours} 学时`);

    // The XLSX file of the year: the course and the person credited with its hours.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('training-export').click()]);
    expect(download.suggestedFilename()).toBe(`training-${year}.xlsx`);
    const rows = readXlsx(readFileSync(await download.path())).rows;
    expect(rows.filter((r) => r[2] === TITLE).map((r) => [r[5], r[7], r[8]])).toEqual([[mine.name, '合格', '2.5']]);

    await bar.getByRole('link').click();
    await page.waitForURL(`**/town/team/${coordinatorId}`);
    await expect.poll(() => page.getByTestId('record-training-hours').textContent(), POLL).toBe(`${mine.hours} 学时`);
    expect(await scrollsSideways(page)).toBe(false);
  });
});
