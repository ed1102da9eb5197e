import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_JS_BUDGET_BYTES, measurePageJs } from '../bench/web-pages';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, WEB_BUILD } from './browser';

/**
 * The login page's JavaScript (issue 10): at most 60 KB gzipped, and only the active language's
 * message catalog. The figure itself is recorded by `pnpm bench` in docs/benchmarks.md.
 */
const session = browserSession();
let stack: TestStack;
beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

/**
 * The built catalog chunks, found on disk by a message no component spells out (components name keys,
 * not texts): path → language.
 */
function catalogFiles(): Map<string, string> {
  const dir = join(WEB_BUILD, '_app', 'immutable');
  const out = new Map<string, string>();
  for (const sub of readdirSync(dir))
    for (const f of readdirSync(join(dir, sub)).filter((n) => n.endsWith('.js'))) {
      const code = readFileSync(join(dir, sub, f), 'utf8');
      const lang = code.includes('请求编号：{id}') ? 'zh-CN' : code.includes('Gridline Grid Management') ? 'en' : undefined;
      if (lang) out.set(`/_app/immutable/${sub}/${f}`, lang);
    }
  return out;
}

describe('the login page', () => {
  it('loads at most 60 KB of gzipped JavaScript in either language', async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const row = await measurePageJs(WEB_BUILD, '/login', locale, LOGIN_JS_BUDGET_BYTES);
      expect(row.scripts.length).toBeGreaterThan(3);
      expect([locale, row.verdict]).toEqual([locale, 'ok']);
      expect(row.gzipBytes).toBeLessThanOrEqual(LOGIN_JS_BUDGET_BYTES);
    }
  });

  it('fetches only the active catalog, and the other one when the language is switched', async () => {
    const known = catalogFiles();
    expect([...known.values()].sort()).toEqual(['en', 'zh-CN']);
    const page = await session.newPage();
    // Which catalog files were asked for, in order (a file preloaded and then imported counts once).
    const catalogs: string[] = [];
    const files = new Set<string>();
    page.on('request', (req) => {
      const file = new URL(req.url()).pathname;
      const lang = known.get(file);
      if (lang && !files.has(file)) catalogs.push(lang);
      files.add(file);
    });
    await page.goto(`${stack.url}/login`, { waitUntil: 'networkidle' });
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('登录');
    await expect.poll(() => catalogs, POLL).toEqual(['zh-CN']);

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('Sign in');
    await expect.poll(() => catalogs, POLL).toEqual(['zh-CN', 'en']);
    // Switching back needs nothing more: the Chinese catalog is already here.
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('登录');
    await page.waitForLoadState('networkidle');
    expect(catalogs).toEqual(['zh-CN', 'en']);
  });
});
