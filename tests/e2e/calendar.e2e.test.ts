import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, SHOTS, scrollsSideways } from './browser';

/**
 * The working-day calendar in Chromium against the local stack, at a 390 px phone width: county IT
 * enters 2027 with one holiday and one make-up working day and sees them in the month preview; the
 * town admin of 青石镇 sees 2027 counted with it and adds a closure, which the month grid shows.
 * The test command builds the web app first; this file never builds it.
 */

const session = browserSession();
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
let stack: TestStack;

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

describe('the working-day calendar', () => {
  it('county IT enters 2027 and previews it; a town admin adds a closure', async () => {
    const county = await newPage(PHONE_390);
    await signIn(county, 'county.admin');
    await county.waitForURL('**/county');
    await county.goto(`${stack.url}/county/calendars`);
    await county.getByTestId('cal-year').first().waitFor();
    expect(await county.locator('[data-testid="cal-year"][data-year="2026"]').count()).toBe(1);

    await county.getByTestId('cal-new-year').fill('2027');
    await county.getByTestId('cal-open').click();
    await county.getByTestId('cal-editor').waitFor();
    await county.getByTestId('cal-source').fill('国务院办公厅关于2027年部分节假日安排的通知（测试）');
    await county.getByTestId('cal-add-holiday').click();
    await county.getByTestId('cal-holiday-name').fill('春节');
    await county.getByTestId('cal-holiday-from').fill('2027-02-06');
    await county.getByTestId('cal-holiday-to').fill('2027-02-14');
    await county.getByTestId('cal-add-makeup').click();
    await county.getByTestId('cal-makeup-day').fill('2027-02-20');

    // The preview marks the holiday, the make-up day and an ordinary weekend before saving.
    const day = (d: string) => county.locator(`[data-testid="cal-preview-grid"] [data-date="${d}"]`);
    await expect.poll(() => day('2027-02-10').getAttribute('data-kind'), POLL).toBe('holiday');
    expect(await day('2027-02-20').getAttribute('data-kind')).toBe('makeup');
    expect(await day('2027-02-21').getAttribute('data-kind')).toBe('weekend');
    expect(await day('2027-02-22').getAttribute('data-kind')).toBe('work');
    expect(await scrollsSideways(county)).toBe(false);
    await county.screenshot({ path: `${SHOTS}/gridline-calendar-county-390.png`, fullPage: true });

    await county.getByTestId('cal-save').click();
    await county.getByTestId('cal-saved').waitFor();
    await expect.poll(() => county.locator('[data-testid="cal-year"][data-year="2027"]').count(), POLL).toBe(1);

    // The town admin sees 2027 counted with it, and 2028 flagged as counting weekends only.
    const town = await newPage(PHONE_390);
    await signIn(town, 'qingshi.admin');
    await town.waitForURL('**/town');
    await town.goto(`${stack.url}/town/calendar?year=2028`);
    await town.getByTestId('cal-no-calendar').waitFor();
    await town.goto(`${stack.url}/town/calendar?year=2027`);
    await town.getByTestId('cal-source').waitFor();
    expect(await town.getByTestId('cal-no-calendar').count()).toBe(0);
    const cell = (d: string) => town.locator(`[data-testid="cal-town-grid"] [data-date="${d}"]`);
    expect(await cell('2027-02-10').getAttribute('data-kind')).toBe('holiday');
    expect(await cell('2027-02-20').getAttribute('data-kind')).toBe('makeup');

    await town.getByTestId('cal-add-closure').click();
    await town.getByTestId('cal-closure-from').fill('2027-07-14');
    await town.getByTestId('cal-closure-reason').fill('台风停止办公');
    await town.getByTestId('cal-save-closures').click();
    await town.getByTestId('cal-closures-saved').waitFor();
    await expect.poll(() => cell('2027-07-14').getAttribute('data-kind'), POLL).toBe('closed');
    expect(await scrollsSideways(town)).toBe(false);
    await town.screenshot({ path: `${SHOTS}/gridline-calendar-town-390.png`, fullPage: true });

    const token = await stack.token('qingshi.admin');
    const kept = (await stack.call('GET', '/town/closures', { token })).body as { closures: unknown[]; version: number };
    expect(kept).toMatchObject({ version: 1, closures: [{ from: '2027-07-14', reason: '台风停止办公' }] });
  });
});
