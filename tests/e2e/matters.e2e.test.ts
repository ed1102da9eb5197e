import { runInScope, townPrefix } from '@gridline/data';
import { superviseTown } from '@gridline/data/matters';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testIdNumber } from '../support/ids';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, SHOTS, scrollsSideways } from './browser';

/**
 * Matters (事件) in Chromium against the local stack, at a phone's 390 × 844: the coordinator of 青石
 * 网格 qs-g1 raises a matter and escalates it to the community; the community's station accepts and
 * resolves it; a dissatisfied return visit reopens it at the community, which resolves it again and
 * closes it with a satisfied visit. The matter's timeline shows every step, oldest first.
 * The test command builds the web app first; this file never builds it.
 */

const session = browserSession();
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
const DESCRIPTION = '青石小区5栋门前井盖松动，夜间行人易绊倒';
let stack: TestStack;

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

/** Signs in and waits to leave the login page. */
async function signedIn(page: Page, username: string) {
  await signIn(page, username);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Takes an action from the matter's page: opens its form, fills what it asks, confirms and waits for the page to move on. */
async function act(page: Page, action: string, fill: (page: Page) => Promise<void> = async () => {}) {
  const before = await page.getByTestId('matter-head').getAttribute('data-version');
  await page.getByTestId(`act-${action}`).click();
  await fill(page);
  await page.getByTestId('act-submit').click();
  await expect.poll(() => page.getByTestId('matter-head').getAttribute('data-version'), POLL).not.toBe(before);
  await page.getByTestId('matter-done').waitFor();
}

const head = (page: Page) => Promise.all(['data-status', 'data-level'].map((a) => page.getByTestId('matter-head').getAttribute(a)));
const kinds = (page: Page) => page.getByTestId('timeline-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));

describe('matters', () => {
  it('climbs the ladder on a phone: raised, escalated, resolved, reopened by a dissatisfied visit, closed', async () => {
    // The coordinator raises it (登记事件), thumb-reachable at the bottom of the queues page.
    const grid = await newPage(PHONE_390);
    await signedIn(grid, 'qingshi.grid1');
    await grid.getByRole('navigation').getByRole('link', { name: '事件' }).click();
    await grid.waitForURL('**/town/matters**');
    const raise = grid.getByTestId('matter-raise');
    const box = await raise.boundingBox();
    expect(box && box.y + box.height).toBeGreaterThan(PHONE_390.height - 90);
    await raise.click();
    await grid.waitForURL('**/town/matters/new');
    await grid.getByTestId('i-submit').click();
    await grid.getByTestId('i-categoryId-error').waitFor();
    await grid.getByTestId('i-category').selectOption('sanitation');
    await grid.getByTestId('i-grid').selectOption('qs-g1');
    await grid.getByTestId('i-description').fill(DESCRIPTION);
    await grid.getByTestId('i-reporter-name').fill('赵大爷');
    await grid.getByTestId('i-reporter-phone').fill('13700001111');
    await grid.getByTestId('i-urgency-urgent').check();
    await grid.getByTestId('i-channel').selectOption('hotline');
    await grid.getByTestId('i-submit').click();
    await grid.getByTestId('i-hotlineRef-error').waitFor();
    await grid.getByTestId('i-hotline-ref').fill('12345-20261206-0042');
    expect(await scrollsSideways(grid)).toBe(false);
    await grid.getByTestId('i-submit').click();
    await grid.waitForURL((u) => /^\/town\/matters\/[^/]+$/.test(u.pathname) && u.pathname !== '/town/matters/new');
    const matterPath = new URL(grid.url()).pathname;
    await grid.getByTestId('matter-head').waitFor();
    expect(await head(grid)).toEqual(['open', 'grid']);
    expect(await grid.getByTestId('matter-description').textContent()).toBe(DESCRIPTION);
    // The phone is masked; the full number is nowhere on the page.
    expect(await grid.getByTestId('matter-reporter').textContent()).toMatch(/赵大爷 · 137\*+1111/);
    expect(await grid.content()).not.toContain('13700001111');
    await grid.getByTestId('matter-sla').waitFor();

    await act(grid, 'accept');
    // A reason is required to escalate.
    await grid.getByTestId('act-escalate').click();
    await grid.getByTestId('act-submit').click();
    await grid.getByTestId('a-reason-error').waitFor();
    await grid.getByTestId('a-reason').fill('需要社区协调物业和市政维修');
    const v = await grid.getByTestId('matter-head').getAttribute('data-version');
    await grid.getByTestId('act-submit').click();
    await expect.poll(() => grid.getByTestId('matter-head').getAttribute('data-version'), POLL).not.toBe(v);
    expect(await head(grid)).toEqual(['open', 'community']);
    // It is the community's now: the coordinator has nothing left to do on it.
    expect(await grid.getByTestId('matter-actions').count()).toBe(0);
    expect(await scrollsSideways(grid)).toBe(false);

    // The community's station finds it in its level's queue, accepts and resolves it.
    const station = await newPage(PHONE_390);
    await signedIn(station, 'qingshi.station1');
    await station.goto(`${stack.url}/town/matters?queue=level`);
    const row = station.locator(`[data-testid="matter-row"][href="${matterPath}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('社区级');
    expect(await scrollsSideways(station)).toBe(false);
    await row.click();
    await station.waitForURL(`**${matterPath}`);
    await station.getByTestId('matter-head').waitFor();
    await act(station, 'accept');
    await act(station, 'resolve', (p) => p.getByTestId('a-resolution').fill('已协调市政更换井盖'));
    expect(await head(station)).toEqual(['resolved', 'community']);

    // The return visit: dissatisfied needs a reason, and reopens the matter at the community.
    await station.getByTestId('act-return_visit').click();
    await station.getByTestId('a-reached-by').selectOption('phone');
    await station.getByTestId('a-satisfaction-dissatisfied').check();
    await station.getByTestId('act-submit').click();
    await station.getByTestId('a-reason-error').waitFor();
    await station.getByTestId('a-reason').fill('井盖换了但周边路面仍有坑洼');
    const w = await station.getByTestId('matter-head').getAttribute('data-version');
    await station.getByTestId('act-submit').click();
    await expect.poll(() => station.getByTestId('matter-head').getAttribute('data-version'), POLL).not.toBe(w);
    expect(await head(station)).toEqual(['open', 'community']);
    expect(await station.getByTestId('matter-head').textContent()).toContain('重办 1 次');

    // Resolved again, and closed by a satisfied visit.
    await act(station, 'accept');
    await act(station, 'resolve', (p) => p.getByTestId('a-resolution').fill('路面已修补平整'));
    await act(station, 'return_visit', async (p) => {
      await p.getByTestId('a-reached-by').selectOption('in_person');
      await p.getByTestId('a-satisfaction-satisfied').check();
    });
    expect(await head(station)).toEqual(['closed', 'community']);
    expect(await station.getByTestId('matter-actions').count()).toBe(0);
    expect(await scrollsSideways(station)).toBe(false);
    await station.screenshot({ path: `${SHOTS}/matters-closed-390.png`, fullPage: true });

    // Every step is on the timeline, oldest first, with what was said; the coordinator sees the same.
    const steps = [
      'raised',
      'accepted',
      'escalated',
      'accepted',
      'resolved',
      'return_visit',
      'reopened',
      'accepted',
      'resolved',
      'return_visit',
      'closed',
    ];
    expect(await kinds(station)).toEqual(steps);
    const timeline = (await station.getByTestId('timeline').textContent()) ?? '';
    for (const said of [
      '需要社区协调物业和市政维修',
      '已协调市政更换井盖',
      '井盖换了但周边路面仍有坑洼',
      '不满意',
      '满意',
      '路面已修补平整',
      '12345-20261206-0042',
    ])
      expect(timeline).toContain(said);
    await grid.reload();
    await grid.getByTestId('timeline').waitFor();
    await expect.poll(() => kinds(grid), POLL).toEqual(steps);
    expect(await head(grid)).toEqual(['closed', 'community']);
  }, 120_000);

  it('takes the reporter from the population book: a name search in the grid, masked details, the matter names them', async () => {
    // A resident of 青石 qs-g1's first courtyard, put in the book through the API.
    const admin = await stack.token('qingshi.admin');
    const hh = await stack.call('POST', '/town/grids/qs-g1/households', {
      token: admin,
      body: { courtyardId: 'qs-g1-y1', door: '8单元302室' },
    });
    expect(hh.status).toBe(201);
    const { householdId } = hh.body as { householdId: string };
    const added = await stack.call('POST', `/town/grids/qs-g1/households/${householdId}/people`, {
      token: admin,
      body: {
        name: '欧阳秀梅',
        idNumber: testIdNumber('330523', '1958-04-09', 62),
        gender: 'female',
        relation: '户主',
        residenceType: 'registered',
        phone: '13900002222',
        tags: [],
        keyTags: [],
      },
    });
    expect(added.status).toBe(201);
    const { personId } = added.body as { personId: string };

    const page = await newPage(PHONE_390);
    await signedIn(page, 'qingshi.grid1');
    await page.goto(`${stack.url}/town/matters/new`);
    await page.getByTestId('i-category').selectOption('sanitation');
    await page.getByTestId('i-grid').selectOption('qs-g1');
    await page.getByTestId('i-description').fill('8单元楼道灯坏了一周');
    await page.getByTestId('i-reporter-mode-book').check();
    // Nothing picked yet: the form asks for a resident from the book.
    await page.getByTestId('i-submit').click();
    await page.getByTestId('i-bookReporter-error').waitFor();
    await page.getByTestId('i-reporter-prefix').fill('欧阳');
    await page.getByTestId('i-reporter-prefix').press('Enter');
    const match = page.locator(`[data-testid="i-reporter-match"][data-person="${personId}"]`);
    await match.waitFor();
    // The household's door comes from its card, a moment after the match itself.
    await expect.poll(() => match.textContent(), POLL).toContain('1栋 · 8单元302室');
    const shown = (await match.textContent()) ?? '';
    expect(shown).toContain('欧阳秀梅');
    expect(shown).toMatch(/139\*+2222/);
    expect(await page.content()).not.toContain('13900002222');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-matter-reporter-book-390.png`, fullPage: true });
    await match.click();
    expect(await page.getByTestId('i-reporter-picked').textContent()).toContain('欧阳秀梅');
    // The resident's courtyard becomes the matter's.
    expect(await page.getByTestId('i-courtyard').inputValue()).toBe('qs-g1-y1');
    await page.getByTestId('i-submit').click();
    await page.waitForURL((u) => /^\/town\/matters\/[^/]+$/.test(u.pathname) && u.pathname !== '/town/matters/new');
    await page.getByTestId('matter-head').waitFor();
    await expect.poll(() => page.getByTestId('matter-reporter').textContent(), POLL).toMatch(/欧阳秀梅 · 139\*+2222（台账中的居民）/);
    expect(await scrollsSideways(page)).toBe(false);

    const matterId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const stored = await stack.call('GET', `/town/matters/${matterId}`, { token: admin });
    expect((stored.body as { matter: { reporter: unknown; householdId?: string; courtyardId?: string } }).matter).toMatchObject({
      reporter: { personId },
      householdId,
      courtyardId: 'qs-g1-y1',
    });
  }, 60_000);

  it('tells the one who acted second that someone acted first, and shows the matter as it stands', async () => {
    const token = await stack.token('qingshi.grid1');
    const raised = await stack.call('POST', '/town/matters', {
      token,
      body: {
        categoryId: 'city',
        gridId: 'qs-g1',
        description: '共享单车乱停放',
        reporter: { name: '孙先生' },
        urgency: 'normal',
        channel: 'phone',
      },
    });
    expect(raised.status).toBe(201);
    const path = `/town/matters/${(raised.body as { matter: { matterId: string } }).matter.matterId}`;
    const first = await newPage(PHONE_390);
    await signedIn(first, 'qingshi.grid1');
    const second = await newPage(PHONE_390);
    await signedIn(second, 'qingshi.grid1');
    for (const p of [first, second]) {
      await p.goto(`${stack.url}${path}`);
      await p.getByTestId('act-accept').waitFor();
    }
    await act(first, 'accept');
    await second.getByTestId('act-accept').click();
    await second.getByTestId('act-submit').click();
    await second.getByTestId('matter-conflict').waitFor();
    expect(await head(second)).toEqual(['accepted', 'grid']);
    // The buttons are the ones for the matter as it stands: it can be resolved now, not accepted again.
    expect(await second.getByTestId('act-accept').count()).toBe(0);
    await second.getByTestId('act-resolve').waitFor();
    expect(await kinds(second)).toEqual(['raised', 'accepted']);
  }, 60_000);

  it('gives town leaders the supervision board, the category catalogue with its history and the ladder', async () => {
    const admin = await newPage(PHONE_390);
    await signedIn(admin, 'qingshi.admin');
    await admin.goto(`${stack.url}/town/matters?queue=overdue`);
    await admin.getByTestId('matters-board-link').click();
    await admin.waitForURL('**/town/matters/board');
    await admin.getByTestId('board-chart').waitFor();
    // Matters raised above are running at the grid and the community; each bar carries its number.
    const running =
      Number(await admin.getByTestId('board-grid-open').textContent()) +
      Number(await admin.getByTestId('board-grid-accepted').textContent());
    expect(running).toBeGreaterThan(0);
    expect(Number(await admin.getByTestId('board-raised').textContent())).toBeGreaterThanOrEqual(2);
    expect(await scrollsSideways(admin)).toBe(false);
    await admin.screenshot({ path: `${SHOTS}/matters-board-390.png`, fullPage: true });

    // A new category, then a change to it: its history keeps both saves.
    const id = `e2e-${Date.now().toString(36)}`;
    await admin.goto(`${stack.url}/town/matters/settings`);
    await admin.getByTestId('cat-add').click();
    await admin.getByTestId('cat-id').fill(id);
    await admin.getByTestId('cat-zh').fill('停车管理');
    await admin.getByTestId('cat-en').fill('Parking');
    await admin.getByTestId('cat-grid-accept').fill('0');
    await admin.getByTestId('cat-save').click();
    await admin.locator('#cat-grid-accept[aria-invalid="true"]').waitFor();
    await admin.getByTestId('cat-grid-accept').fill('4');
    await admin.getByTestId('cat-grid-accept-unit').selectOption('working_hours');
    await admin.getByTestId('cat-save').click();
    const row = admin.locator(`[data-testid="cat-row"][data-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('受理 4 个工作小时');
    await row.getByTestId('cat-edit').click();
    await row.getByTestId('cat-zh').fill('停车秩序');
    await row.getByTestId('cat-save').click();
    await admin.getByTestId('cat-saved').waitFor();
    await row.getByTestId('cat-history').click();
    const history = row.getByTestId('cat-history-list');
    await history.getByText('v2').waitFor();
    expect(await history.textContent()).toContain('停车管理 → 停车秩序');
    expect(await scrollsSideways(admin)).toBe(false);
    await admin.screenshot({ path: `${SHOTS}/matters-settings-390.png`, fullPage: true });

    // The ladder: skipping off, saved, then on again as the other tests expect.
    for (const on of [false, true]) {
      await admin.getByTestId('ladder-skip').setChecked(on);
      await admin.getByTestId('ladder-save').click();
      await admin.getByTestId('ladder-saved').waitFor();
      const ladder = (await stack.call('GET', '/town/matter-ladder', { token: await stack.token('qingshi.admin') })).body as {
        ladder: { allowSkip: boolean };
      };
      expect(ladder.ladder.allowSkip).toBe(on);
    }

    // The new category is offered at intake, in the reader's language.
    await admin.goto(`${stack.url}/town/matters/new`);
    await admin.getByTestId('i-category').locator(`option[value="${id}"]`).waitFor({ state: 'attached' });
    expect(await admin.getByTestId('i-category').locator(`option[value="${id}"]`).textContent()).toBe('停车秩序');
  }, 90_000);

  it("shows the supervision job's 督办 in the header's notifications, linking to the matter", async () => {
    const token = await stack.token('qingshi.grid1');
    const raised = await stack.call('POST', '/town/matters', {
      token,
      body: {
        categoryId: 'safety',
        gridId: 'qs-g1',
        description: '配电箱门锁损坏',
        reporter: { name: '周女士' },
        urgency: 'urgent',
        channel: 'coordinator',
      },
    });
    expect(raised.status).toBe(201);
    const matter = (raised.body as { matter: { matterId: string; raisedAt: string } }).matter;
    // The job as it would run twenty days later (a safety hazard is to be accepted within 2 working hours).
    const later = new Date(Date.parse(matter.raisedAt) + 20 * 86_400_000).toISOString();
    await runInScope({ requestId: 'e2e-supervision', tenant: 'qingshi', allowedPrefixes: [townPrefix('qingshi')] }, () =>
      superviseTown('qingshi', later),
    );

    const page = await newPage(PHONE_390);
    await signedIn(page, 'qingshi.grid1');
    await expect
      .poll(
        async () =>
          Number(
            (await page
              .getByTestId('notes-count')
              .textContent()
              .catch(() => '0')) ?? 0,
          ),
        POLL,
      )
      .toBeGreaterThan(0);
    await page.getByTestId('notes-toggle').click();
    const item = page.locator(`[data-testid="notes-item"][href="/town/matters/${matter.matterId}"]`);
    expect(await item.textContent()).toContain('已超期');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/matters-notes-390.png` });
    await item.click();
    await page.waitForURL(`**/town/matters/${matter.matterId}`);
    await expect.poll(() => kinds(page), POLL).toEqual(['raised', 'supervised']);
    expect(await page.getByTestId('timeline').textContent()).toContain('督办');
  }, 60_000);
});
