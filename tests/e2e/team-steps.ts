import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { POLL } from './browser';

/** The stage a person's record page shows in its title bar (`data-stage`). */
export const stage = (page: Page) => page.locator('.title-bar [data-testid="stage-badge"]').getAttribute('data-stage');

/** Opens the step form of `kind` on a record page, fills it, submits, and waits for the stage that follows. */
export async function step(page: Page, kind: string, fill: () => Promise<void>, expected: string) {
  await page.getByTestId(`step-${kind}`).click();
  await page.locator(`[data-testid="step-form"][data-kind="${kind}"]`).waitFor();
  await fill();
  await page.getByTestId('f-submit').click();
  await page.getByTestId('step-form').waitFor({ state: 'detached' });
  await expect.poll(() => stage(page), POLL).toBe(expected);
}

/** A recommended candidate taken through inspection and training to appointment on one grid and post. */
export async function inspectTrainAppoint(
  page: Page,
  o: { findings: string; courses: string; hours: string; grid: string; post: string; document: string },
) {
  await step(
    page,
    'inspect',
    async () => {
      await page.getByTestId('f-inspector').fill('镇综治办 张敏');
      await page.getByTestId('f-findings').fill(o.findings);
    },
    'inspected',
  );
  await step(
    page,
    'train',
    async () => {
      await page.getByTestId('f-courses').fill(o.courses);
      await page.getByTestId('f-hours').fill(o.hours);
    },
    'trained',
  );
  await step(
    page,
    'appoint',
    async () => {
      await page.locator(`[data-testid="f-grid"][data-grid="${o.grid}"]`).check();
      await page.locator(`[data-testid="f-post"][data-post="${o.post}"]`).check();
      await page.getByTestId('f-document').fill(o.document);
    },
    'appointed',
  );
}
