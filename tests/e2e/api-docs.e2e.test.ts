import { routeTable } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, scrollsSideways } from './browser';

/** The API reference page renders the served OpenAPI document, with no sign-in, at phone width too. */
const session = browserSession();
let stack: TestStack;

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

describe('API reference', () => {
  it('lists every route of the table, grouped by audience, and fits a 360 px phone', async () => {
    const page = await session.newPage({ width: 360, height: 780 });
    await page.goto(`${stack.url}/api-docs`);
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('API 参考');
    const ops = page.getByTestId('api-docs-operation');
    await expect.poll(() => ops.count(), POLL).toBe(routeTable.length);
    for (const audience of ['public', 'county', 'town'] as const) {
      const expected = routeTable.filter((r) => r.audience === audience).length;
      expect(await page.getByTestId(`api-docs-${audience}`).getByTestId('api-docs-operation').count(), audience).toBe(expected);
    }
    // The summaries are the route table's own words.
    await expect.poll(() => page.getByText('Add a member to a household').count(), POLL).toBe(1);
    expect(await scrollsSideways(page)).toBe(false);
    expect(await page.getByTestId('api-docs-download').getAttribute('href')).toBe('/api/openapi.json');
  });
});
