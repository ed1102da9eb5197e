import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, DESK, POLL, SHOTS, scrollsSideways } from './browser';

/**
 * Mediation (矛盾纠纷调解, issue 15) in Chromium against the local stack. The coordinator of 青石 qs-g1,
 * who holds the grid's people's-mediator post, takes a neighbours' dispute in at the courtyard on a
 * phone and escalates it; the community's station takes it up to the town mediation centre; the
 * centre's mediator invites a legal worker with a new sign-in, who signs in with the one-time password,
 * sees the invited case and nothing else, and adds an opinion; the mediator records the agreement and
 * prints it (A4, to PDF as the browser prints it). The test command builds the web app first.
 */

const session = browserSession();
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
const SUMMARY = '青石小区3栋302与402因楼上漏水引发纠纷，双方多次争吵';
const LAWYER = 'qingshi.lawyer-e2e';
let stack: TestStack;

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

async function signedIn(page: Page, username: string, password?: string) {
  await signIn(page, username, password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

const head = (page: Page) => page.getByTestId('med-case-head');
const levelOf = (page: Page) => head(page).getAttribute('data-level');

/** Opens one action's form on the case page, fills it, sends it and waits for the case's next version. */
async function act(page: Page, action: string, fill: (page: Page) => Promise<void>) {
  const before = await head(page).getAttribute('data-version');
  await page.getByTestId(`med-act-${action}`).click();
  await fill(page);
  await page.getByTestId('med-act-submit').click();
  await expect.poll(() => head(page).getAttribute('data-version'), POLL).not.toBe(before);
}

const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

describe('mediation', () => {
  it('takes a dispute from the courtyard to the town centre, joins a legal worker who gives an opinion, and prints the agreement', async () => {
    // Intake at the courtyard, on a phone, by the grid's mediator.
    const grid = await newPage(PHONE_390);
    await signedIn(grid, 'qingshi.grid1');
    await grid.getByRole('navigation').getByRole('link', { name: '矛盾调解' }).click();
    await grid.waitForURL('**/town/mediation**');
    await grid.getByTestId('med-new').click();
    await grid.waitForURL('**/town/mediation/new**');
    const parties = grid.getByTestId('m-party');
    for (const [i, name] of [
      [0, '周建国'],
      [1, '吴秀兰'],
    ] as const) {
      const party = parties.nth(i);
      const outside = party.getByTestId(`m-party-${i}-mode-outside`);
      if (await outside.count()) await outside.check();
      await party.getByTestId('m-party-name').fill(name);
    }
    await grid.getByTestId('m-type').selectOption('neighbour');
    await grid.getByTestId('m-grid').selectOption('qs-g1');
    await grid.getByTestId('m-summary').fill(SUMMARY);
    await grid.getByTestId('m-risk-medium').check();
    await grid.getByTestId('m-found-by').selectOption('walk_in');
    await grid.getByTestId('m-level-courtyard').check();
    expect(await scrollsSideways(grid)).toBe(false);
    await grid.getByTestId('m-submit').click();
    await grid.waitForURL((u) => /^\/town\/mediation\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith('/new'));
    const casePath = new URL(grid.url()).pathname;
    await head(grid).waitFor();
    expect(await levelOf(grid)).toBe('courtyard');
    expect(await grid.getByTestId('med-case-summary').textContent()).toBe(SUMMARY);
    expect(await scrollsSideways(grid)).toBe(false);
    await grid.screenshot({ path: `${SHOTS}/mediation-case-390.png`, fullPage: true });

    // Courtyard mediation does not settle it: up to the community.
    await act(grid, 'escalate', (p) => p.getByTestId('a-reason').fill('院落调解两次未果，双方情绪激动'));
    expect(await levelOf(grid)).toBe('community');

    // The community's station takes it up to the town mediation centre.
    const station = await newPage(PHONE_390);
    await signedIn(station, 'qingshi.station1');
    await station.goto(`${stack.url}${casePath}`);
    await head(station).waitFor();
    await act(station, 'escalate', (p) => p.getByTestId('a-reason').fill('涉及房屋维修责任认定，需镇调解中心联合调解'));
    expect(await levelOf(station)).toBe('town');

    // The centre's mediator invites a legal worker, whose sign-in is made on the spot.
    const centre = await newPage(DESK);
    await signedIn(centre, 'qingshi.mediator');
    await centre.goto(`${stack.url}${casePath}`);
    await head(centre).waitFor();
    expect(await levelOf(centre)).toBe('town');
    await act(centre, 'invite', async (p) => {
      await p.getByTestId('a-role').selectOption('legal_worker');
      await p.getByTestId('a-name').fill('法律工作者 孙明');
      await p.getByTestId('a-until').fill(inDays(14));
      await p.getByTestId('a-username').fill(LAWYER);
    });
    await centre.getByTestId('credentials').waitFor();
    expect((await centre.getByTestId('temp-username').textContent())?.trim()).toBe(LAWYER);
    const password = (await centre.getByTestId('temp-password').textContent())?.trim() ?? '';
    expect(password.length).toBeGreaterThan(8);
    expect(await head(centre).getAttribute('data-flags')).not.toBeNull();
    await centre.getByTestId('med-case-invitations').getByText('孙明').waitFor();

    // The legal worker signs in: mediation is all they are offered, and the invited case is all it lists.
    const lawyer = await newPage(PHONE_390);
    await signedIn(lawyer, LAWYER, password);
    await lawyer.waitForURL('**/town/mediation**');
    const nav = await lawyer.locator('header nav a').allTextContents();
    expect(nav.map((s) => s.trim()).filter((s) => s && s !== '退出')).toEqual(['矛盾调解']);
    await expect.poll(() => lawyer.getByTestId('case-row').count(), POLL).toBe(1);
    await lawyer.getByTestId('case-row').first().click();
    await lawyer.waitForURL(`**${casePath}`);
    await lawyer.getByTestId('med-participant-notice').waitFor();
    // An invited participant may record a session or a note, never decide.
    expect(await lawyer.getByTestId('med-act-escalate').count()).toBe(0);
    expect(await lawyer.getByTestId('med-act-agree').count()).toBe(0);
    await act(lawyer, 'note', (p) =>
      p.getByTestId('a-text').fill('依据《民法典》第二百八十八条，相邻方应当提供必要便利；漏水维修费用建议由402承担主要部分。'),
    );
    await lawyer.getByTestId('med-timeline').getByText('民法典').waitFor();
    expect(await scrollsSideways(lawyer)).toBe(false);
    // Another town's page, or the book, is not theirs: the app sends them back to mediation.
    await lawyer.goto(`${stack.url}/town/book`);
    await lawyer.waitForURL('**/town/mediation**');

    // The centre sees the opinion and records the agreement.
    await centre.reload();
    await centre.getByTestId('med-timeline').getByText('民法典').waitFor();
    await act(centre, 'agree', async (p) => {
      await p.getByTestId('a-facts').fill('402卫生间防水层老化，致302顶棚渗水，双方就维修与赔偿发生争执。');
      await p.getByTestId('a-term').nth(0).fill('402于十日内请专业人员修复防水层，费用自理。');
      await p.getByTestId('a-term-add').click();
      await p.getByTestId('a-term').nth(1).fill('402一次性补偿302顶棚修复费用人民币一千二百元。');
      await p.getByTestId('a-signed-on').fill(shanghaiToday());
    });
    expect(await head(centre).getAttribute('data-status')).toBe('agreed');

    // The agreement's print view: the standard layout, printed by the browser to an A4 PDF.
    await centre.getByTestId('med-agreement-print-link').click();
    await centre.waitForURL(`**${casePath}/agreement`);
    await centre.getByTestId('med-doc').waitFor();
    const named = await centre.getByTestId('med-doc-parties').textContent();
    expect(named).toContain('周建国');
    expect(named).toContain('吴秀兰');
    const terms = await centre.getByTestId('med-doc-terms').textContent();
    expect(terms).toContain('一千二百元');
    expect(await centre.getByTestId('med-doc-org').textContent()).toContain('调解');
    await centre.emulateMedia({ media: 'print' });
    expect(await centre.locator('header').first().isVisible()).toBe(false);
    expect(await centre.getByTestId('med-doc-print').isVisible()).toBe(false);
    const pdf = await centre.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await centre.emulateMedia({ media: 'screen' });
    await centre.screenshot({ path: `${SHOTS}/mediation-agreement.png`, fullPage: true });
  });
});
