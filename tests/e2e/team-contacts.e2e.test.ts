import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testIdNumber } from '../support/ids';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, SHOTS, scrollsSideways } from './browser';
import { inspectTrainAppoint } from './team-steps';

/**
 * A team member's personal data and "who to call" in Chromium at a 390 px phone width, against the
 * local stack: the town admin of 青石镇 recommends a candidate with an ID number and a phone, sees both
 * masked on the record, reveals the phone with a reason, walks them to appointment on 第二网格 (qs-g2),
 * corrects the phone, then finds them with the new number (a tap-to-call link) on the who-to-call page;
 * a grid coordinator reaches the same page from the navigation and sees the number too.
 * The test command builds the web app first; this file never builds it.
 */

const session = browserSession({ landing: '**/town' });
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
const NAME = '钟晓岚';
const ID = testIdNumber('330521', '1986-07-21', 482);
const PHONE = '13957004321';
const NEW_PHONE = '13957008765';
let stack: TestStack;
let recordUrl = '';
let coordinatorId = '';

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

describe("a team member's ID number and phone, and who to call", () => {
  it('recommends with an ID number and phone, shows them masked, reveals the phone with a reason', async () => {
    const page = await newPage(PHONE_390);
    await signIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/team`);
    await page.getByTestId('team-recommend').click();
    await page.getByTestId('r-name').fill(NAME);
    await page.getByTestId('r-community').selectOption('qingshi-sq');
    await page.getByTestId('r-by').fill('青石社区居民代表会议');
    await page.getByTestId('r-votes').fill('38');
    // A wrong check digit is refused in the form, by the book's own rule, before anything is sent.
    await page.getByTestId('r-idNumber').fill(`${ID.slice(0, 17)}${ID[17] === '1' ? '2' : '1'}`);
    await page.getByTestId('r-phone').fill('139 5700 4321');
    await page.getByTestId('r-submit').click();
    await page.locator('#r-idNumber[aria-invalid="true"]').waitFor();
    expect(page.url()).toMatch(/\/town\/team$/);
    await page.getByTestId('r-idNumber').fill(ID);
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByTestId('r-submit').click();
    await page.waitForURL(/\/town\/team\/[^/?]+$/);
    recordUrl = page.url();
    coordinatorId = decodeURIComponent(recordUrl.split('/').at(-1) ?? '');

    // Masked on the record; never the full numbers in the page.
    await expect.poll(() => page.getByTestId('masked-idNumber').textContent(), POLL).toBe(`${ID.slice(0, 4)}**********${ID.slice(-4)}`);
    expect(await page.getByTestId('masked-phone').textContent()).toBe('139****4321');
    expect(await page.content()).not.toContain(ID);

    // Reveal the phone: a reason is required, then the number is shown for a while.
    await page.getByTestId('reveal-phone').click();
    await page.getByTestId('reveal-form').waitFor();
    await page.getByTestId('reveal-submit').click();
    await page.locator('#reveal-reason[aria-invalid="true"]').waitFor();
    await page.getByTestId('reveal-reason').fill('联系本人核实考察安排');
    await page.getByTestId('reveal-submit').click();
    await expect.poll(() => page.getByTestId('revealed-phone').textContent(), POLL).toBe(PHONE);
    await page.screenshot({ path: `${SHOTS}/team-contacts-record-390.png`, fullPage: true });
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByTestId('hide-phone').click();
    await page.getByTestId('masked-phone').waitFor();
  });

  it('appoints them, corrects the phone, and finds the new number on the who-to-call page', async () => {
    const page = await newPage(PHONE_390);
    await signIn(page, 'qingshi.admin');
    await page.goto(recordUrl);
    await page.getByTestId('record').waitFor();
    await inspectTrainAppoint(page, {
      findings: '群众基础好。',
      courses: '政策法规',
      hours: '8',
      grid: 'qs-g2',
      post: 'mediator',
      document: '青石镇任〔2026〕21号',
    });
    if (await page.getByTestId('credentials').count()) await page.getByTestId('credentials-dismiss').click();

    // The phone corrected on the record: masked again, and in the history.
    await page.getByTestId('phone-edit').click();
    await page.getByTestId('phone-input').fill(NEW_PHONE);
    await page.getByTestId('phone-submit').click();
    await expect.poll(() => page.getByTestId('masked-phone').textContent(), POLL).toBe('139****8765');
    await expect.poll(() => page.locator('[data-testid="history-entry"][data-kind="phone_changed"]').count(), POLL).toBe(1);

    // Who to call, from the team page: 青石社区, grid qs-g2, the person with a tap-to-call link.
    await page.goto(`${stack.url}/town/team`);
    await page.getByTestId('team-contacts-link').click();
    await page.waitForURL('**/town/team/contacts**');
    await page.getByTestId('contacts-community').selectOption('qingshi-sq');
    const person = page.locator(
      `[data-testid="contacts-grid"][data-grid="qs-g2"] [data-testid="contact"][data-coordinator="${coordinatorId}"]`,
    );
    await person.waitFor();
    expect(await person.textContent()).toContain(NAME);
    expect(await person.getByTestId('contact-call').getAttribute('href')).toBe(`tel:${NEW_PHONE}`);
    expect(await person.getByTestId('contact-call').textContent()).toContain(NEW_PHONE);
    await page.screenshot({ path: `${SHOTS}/team-contacts-390.png`, fullPage: true });
    expect(await scrollsSideways(page)).toBe(false);
  });

  it('lets a grid coordinator open who to call from the navigation and call the new coordinator', async () => {
    const page = await newPage(PHONE_390);
    await signIn(page, 'qingshi.grid1');
    await page.getByRole('link', { name: '联系谁' }).first().click();
    await page.waitForURL('**/town/team/contacts?community=qingshi-sq');
    const person = page.locator(`[data-testid="contact"][data-coordinator="${coordinatorId}"]`);
    await person.first().waitFor();
    expect(await person.first().getByTestId('contact-call').getAttribute('href')).toBe(`tel:${NEW_PHONE}`);
    // The demo's own coordinators are listed with their numbers too, the responsible ones marked.
    await expect.poll(() => page.locator('[data-testid="contact"][data-responsible="yes"]').count(), POLL).toBeGreaterThan(0);
    expect(await scrollsSideways(page)).toBe(false);
  });
});
