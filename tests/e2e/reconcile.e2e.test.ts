import { commitChange, townKeys } from '@gridline/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, scrollsSideways } from './browser';

/** Reconcile on demand from the web app: the town admin on the town page, county IT in its console. */
const session = browserSession();
const { newPage, signIn } = session;
let stack: TestStack;
beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

/** 360 px: the narrowest phone the app is made for. */
const NARROW = { width: 360, height: 740 };
const tamper = (townId: string, counter: string, deltas: Record<string, number>) =>
  commitChange({ writes: [], audit: [], counters: [{ key: townKeys(townId).counters(counter), deltas }] });

describe('reconcile on demand (web)', () => {
  it('the town admin checks the counters on a phone, sees the drift and fixes it', async () => {
    const page = await newPage(NARROW);
    await signIn(page, 'qingshi.admin');
    await page.waitForURL('**/town');
    await page.getByTestId('reconcile-run').click();
    await expect.poll(() => page.getByTestId('reconcile-outcome').textContent(), POLL).toContain('没有偏差');

    await tamper('qingshi', 'GRID#qs-g1', { people: 4 });
    await page.getByTestId('reconcile-run').click();
    await expect.poll(() => page.getByTestId('reconcile-outcome').textContent(), POLL).toContain('发现 1 个计数有偏差');
    const row = page.getByTestId('reconcile-row');
    await expect.poll(() => row.getAttribute('data-counter'), POLL).toBe('GRID#qs-g1');
    expect(await row.textContent()).toContain('网格 qs-g1');
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByTestId('reconcile-fix').click();
    await expect.poll(() => page.getByTestId('reconcile-outcome').textContent(), POLL).toContain('已修正 1 个计数');
    await page.getByTestId('reconcile-run').click();
    await expect.poll(() => page.getByTestId('reconcile-outcome').textContent(), POLL).toContain('没有偏差');
  });

  it('county IT checks a town it picks and sees counts per counter, households only as a number', async () => {
    const hh = await stack.call('POST', '/town/grids/bs-g1/households', {
      token: await stack.token('baisha.admin'),
      body: { door: '1号' },
    });
    const householdId = String((hh.body as { householdId: string }).householdId);
    await commitChange({
      writes: [],
      audit: [],
      counters: [{ key: townKeys('baisha').household('bs-g1', householdId), deltas: { members: 1 } }],
    });
    await tamper('baisha', 'TOWN', { staff: 1 });

    const page = await newPage(NARROW);
    await signIn(page, 'county.admin');
    await page.waitForURL('**/county');
    await page.getByTestId('reconcile-town').selectOption('baisha');
    await page.getByTestId('reconcile-run').click();
    await expect.poll(() => page.getByTestId('reconcile-outcome').textContent(), POLL).toContain('发现 2 个计数有偏差');
    await expect.poll(() => page.getByTestId('reconcile-row').getAttribute('data-counter'), POLL).toBe('TOWN');
    expect(await page.getByTestId('reconcile-households').textContent()).toContain('1');
    expect(await page.getByTestId('reconcile').textContent()).not.toContain(householdId);
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByTestId('reconcile-fix').click();
    await expect.poll(() => page.getByTestId('reconcile-outcome').textContent(), POLL).toContain('已修正 2 个计数');
  });
});
