import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testIdNumber } from '../support/ids';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, SHOTS, scrollsSideways } from './browser';

/**
 * The visits staff pages in Chromium against the local stack, at a phone's 390 × 844: 青石镇's admin
 * shortens the elderly-living-alone cycle, sees the save in the history and the recompute job run to
 * its end; opens coverage and finds a bar per community; the station of 青石社区 accepts a new phone
 * number a coordinator proposed from a visit (proposed through the API here), seeing it masked only,
 * and a move away, which closes the person's record, after confirming it.
 * The test command builds the web app first; this file never builds it.
 */

const session = browserSession();
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
/** The recompute job walks every household of the town; the local stack paces it. */
const JOB = { timeout: 90_000, interval: 250 };
const NEW_PHONE = '13912345678';
let stack: TestStack;
/** A household of 青石社区 with an elderly resident living alone, made before the cycle changes. */
let home: { householdId: string; personId: string };

beforeAll(async () => {
  stack = await session.start();
  home = await household();
});
afterAll(() => session.close());

async function signedIn(page: Page, username: string) {
  await signIn(page, username);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** A household of 青石社区's first grid with one resident, made by the town admin; its ids. */
async function household(): Promise<{ householdId: string; personId: string }> {
  const token = await stack.token('qingshi.admin');
  const yard = await stack.call('POST', '/town/courtyards', { token, body: { gridId: 'qs-g1', name: '走访测试小区3号楼' } });
  expect(yard.status).toBe(201);
  const { courtyardId } = yard.body as { courtyardId: string };
  const home = await stack.call('POST', '/town/grids/qs-g1/households', { token, body: { courtyardId, door: '2单元302室' } });
  expect(home.status).toBe(201);
  const { householdId } = home.body as { householdId: string };
  const person = await stack.call('POST', `/town/grids/qs-g1/households/${householdId}/people`, {
    token,
    body: {
      name: '陈秀英',
      gender: 'female',
      idNumber: testIdNumber('330102', '1948-03-15', 42),
      relation: '户主',
      residenceType: 'registered',
      phone: '13800001234',
      tags: ['elderly_alone'],
      keyTags: [],
    },
  });
  expect(person.status, person.text).toBe(201);
  return { householdId, personId: (person.body as { personId: string }).personId };
}

describe('visits staff pages', () => {
  it('changes the elderly-living-alone cycle: the history shows it and the recompute job finishes', async () => {
    const page = await newPage(PHONE_390);
    await signedIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/visits/settings`);
    await page.getByTestId('cycles-form').waitFor();
    const before = Number(await page.getByTestId('cycles-version').getAttribute('data-version'));
    // Nothing changed yet: nothing to save.
    expect(await page.getByTestId('cycles-save').isDisabled()).toBe(true);

    // A blank household cycle is refused beside its field.
    await page.getByTestId('cy-household').fill('');
    await page.getByTestId('cy-tag-elderly_alone').fill('5');
    await page.getByTestId('cycles-save').click();
    await page.getByTestId('cy-household-error').waitFor();
    await page.getByTestId('cy-household').fill('30');
    expect(await page.getByTestId('cycles-changes').textContent()).toContain('独居老人 7 天 → 5 天');
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByTestId('cycles-save').click();
    await page.getByTestId('cycles-saved').waitFor();
    expect(Number(await page.getByTestId('cycles-version').getAttribute('data-version'))).toBe(before + 1);

    // The save is the newest line of the history, saying what changed.
    const newest = page.getByTestId('cycles-history-entry').first();
    await expect.poll(() => newest.getAttribute('data-version'), POLL).toBe(String(before + 1));
    expect(await newest.textContent()).toContain('独居老人 7 天 → 5 天');
    expect(await newest.textContent()).toContain('qingshi.admin');

    // The job that recomputes every household's due day runs to its end, followed by the page.
    await page.getByTestId('cycles-job').waitFor();
    await expect.poll(() => page.getByTestId('cycles-job').getAttribute('data-status'), JOB).toBe('done');
    await page.getByTestId('cycles-job-done').waitFor();
    // It walked the town's households, the one made above among them.
    expect(await page.getByTestId('cycles-job').getAttribute('data-total')).not.toBe('0');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/visits-cycles-390.png`, fullPage: true });

    // A reload reads the saved cycle back.
    await page.reload();
    await page.getByTestId('cycles-form').waitFor();
    expect(await page.getByTestId('cy-tag-elderly_alone').inputValue()).toBe('5');

    // Someone else saves meanwhile: this page's save is refused with the notice, and the form shows theirs.
    const token = await stack.token('qingshi.admin');
    const current = await stack.call('GET', '/town/visit-cycles', { token });
    const { version, byTag } = current.body as { version: number; byTag: Record<string, number> };
    const other = await stack.call('PUT', '/town/visit-cycles', {
      token,
      body: { version, householdDays: 30, byTag: { ...byTag, elderly_alone: 4 } },
    });
    expect(other.status, other.text).toBe(200);
    await page.getByTestId('cy-tag-disabled').fill('10');
    await page.getByTestId('cycles-save').click();
    await page.getByTestId('cycles-conflict').waitFor();
    await expect.poll(() => page.getByTestId('cy-tag-elderly_alone').inputValue(), POLL).toBe('4');
    expect(await page.getByTestId('cy-tag-disabled').inputValue()).toBe('14');
  });

  it('shows coverage with a bar per community', async () => {
    const hierarchy = await stack.call('GET', '/town/hierarchy', { token: await stack.token('qingshi.admin') });
    const communities = (hierarchy.body as { communities: Array<{ communityId: string }> }).communities.map((c) => c.communityId);
    expect(communities.length).toBeGreaterThan(1);

    const page = await newPage(PHONE_390);
    await signedIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/visits/coverage`);
    await page.getByTestId('coverage-chart').waitFor();
    const bars = await page.getByTestId('coverage-bar').evaluateAll((els) => els.map((e) => e.getAttribute('data-place')));
    expect([...bars].sort()).toEqual([...communities].sort());
    expect(await page.getByTestId('coverage-row').count()).toBe(communities.length);
    // The household made above has a visit state now (the recompute made it): 青石社区 counts it.
    const qingshi = page.locator('[data-testid="coverage-bar"][data-place="qingshi-sq"]');
    expect(Number(await qingshi.getAttribute('data-households'))).toBeGreaterThanOrEqual(1);
    const percent = Number(await page.getByTestId('coverage-headline').getAttribute('data-percent'));
    expect(percent).toBeGreaterThanOrEqual(0);
    expect(percent).toBeLessThanOrEqual(100);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/visits-coverage-390.png`, fullPage: true });

    // A community opens its grids.
    await page.locator('[data-testid="coverage-row"][data-place="qingshi-sq"] [data-testid="coverage-open"]').click();
    await page.waitForURL('**/town/visits/coverage?community=qingshi-sq');
    await expect
      .poll(() => page.getByTestId('coverage-bar').evaluateAll((els) => els.map((e) => e.getAttribute('data-place')).sort()), POLL)
      .toEqual(['qs-g1', 'qs-g2', 'qs-g3']);

    // A coordinator reads their own grids, with no community picker.
    const me = await stack.call('GET', '/town/me', { token: await stack.token('qingshi.grid1') });
    const grids = (me.body as { user: { scope: { grids: string[] } } }).user.scope.grids;
    const coordinator = await newPage(PHONE_390);
    await signedIn(coordinator, 'qingshi.grid1');
    await coordinator.goto(`${stack.url}/town/visits/coverage`);
    await coordinator.getByTestId('coverage-chart').waitFor();
    const mine = await coordinator.getByTestId('coverage-bar').evaluateAll((els) => els.map((e) => e.getAttribute('data-place')));
    expect([...mine].sort()).toEqual([...grids].sort());
    expect(await coordinator.getByTestId('coverage-community').count()).toBe(0);
    expect(await scrollsSideways(coordinator)).toBe(false);
  });

  it('lets the community station accept a new phone proposed from a visit, masked throughout, and a move away once confirmed', async () => {
    const { householdId, personId } = home;
    const proposed = await stack.call('POST', '/town/book-corrections', {
      token: await stack.token('qingshi.grid1'),
      body: { kind: 'phone', gridId: 'qs-g1', householdId, personId, phone: NEW_PHONE, note: '走访时老人说换了新号码' },
    });
    expect(proposed.status, proposed.text).toBe(201);
    const { correctionId } = proposed.body as { correctionId: string };
    expect(proposed.text).not.toContain(NEW_PHONE);

    const page = await newPage(PHONE_390);
    await signedIn(page, 'qingshi.station1');
    await page.goto(`${stack.url}/town/visits/corrections`);
    const row = page.locator(`[data-testid="corr-row"][data-id="${correctionId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('corr-phone').textContent()).toContain('139****5678');
    expect(await page.content()).not.toContain(NEW_PHONE);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/visits-corrections-390.png`, fullPage: true });

    await row.getByTestId('corr-accept').click();
    await page.getByTestId('corr-decided').waitFor();
    await expect.poll(() => row.count(), POLL).toBe(0);

    // It is listed as accepted, and the book has the new number.
    await page.getByTestId('corr-tab-accepted').click();
    await page.waitForURL('**/town/visits/corrections?status=accepted');
    await page.locator(`[data-testid="corr-row"][data-id="${correctionId}"][data-status="accepted"]`).waitFor();
    const person = await stack.call('GET', `/town/grids/qs-g1/households/${householdId}/people/${personId}`, {
      token: await stack.token('qingshi.station1'),
    });
    expect(person.status).toBe(200);
    expect((person.body as { person: { phoneMasked?: string } }).person.phoneMasked).toBe('139****5678');

    // A move away closes a record: accepting it asks once more first.
    const token = await stack.token('qingshi.admin');
    const lodger = await stack.call('POST', `/town/grids/qs-g1/households/${householdId}/people`, {
      token,
      body: {
        name: '陈小军',
        gender: 'male',
        idNumber: testIdNumber('330102', '1990-07-01', 17),
        relation: '子',
        residenceType: 'registered',
        tags: [],
        keyTags: [],
      },
    });
    expect(lodger.status, lodger.text).toBe(201);
    const lodgerId = (lodger.body as { personId: string }).personId;
    const moved = await stack.call('POST', '/town/book-corrections', {
      token: await stack.token('qingshi.grid1'),
      body: { kind: 'moved_away', gridId: 'qs-g1', householdId, personId: lodgerId, note: '已到外地工作' },
    });
    expect(moved.status, moved.text).toBe(201);
    await page.getByTestId('corr-tab-open').click();
    const movedRow = page.locator(`[data-testid="corr-row"][data-id="${(moved.body as { correctionId: string }).correctionId}"]`);
    await movedRow.getByTestId('corr-accept').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => movedRow.count(), POLL).toBe(0);
    const closed = await stack.call('GET', `/town/grids/qs-g1/households/${householdId}/people/${lodgerId}`, { token });
    expect((closed.body as { person: { status: string } }).person.status).toBe('closed');
  });
});
