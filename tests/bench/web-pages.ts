import { gzipSync } from 'node:zlib';
import { LocalDirectory, loadSigningKey } from '@gridline/identity';
import { startLocalStack } from '@gridline/local';
import { launchChromium } from '../e2e/browser';

/** Issue 10: the login page loads at most 60 KB of gzipped JavaScript (read strictly as 60,000 bytes). */
export const LOGIN_JS_BUDGET_BYTES = 60_000;

export type PageScript = { path: string; bytes: number; gzipBytes: number };
export type PageJsRow = {
  page: string;
  locale: string;
  scripts: PageScript[];
  bytes: number;
  gzipBytes: number;
  budget?: number;
  verdict: 'ok' | 'FAIL' | 'report';
  problem?: string;
};

/**
 * The JavaScript a page really loads in Chromium, from the built web app served by the local stack as
 * `npm start` serves it: every script response until the network is idle, each gzipped (zlib level 9,
 * what a CDN's compression comes close to) and summed. A page's language is the browser's saved choice.
 */
export async function measurePageJs(webDir: string, page: string, locale: 'zh-CN' | 'en' = 'zh-CN', budget?: number): Promise<PageJsRow> {
  const stack = await startLocalStack({ key: await loadSigningKey(), directory: new LocalDirectory(), webDir });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'zh-CN', serviceWorkers: 'block' });
    if (locale !== 'zh-CN') await context.addInitScript(`localStorage.setItem('gridline.lang', ${JSON.stringify(locale)})`);
    const tab = await context.newPage();
    const seen = new Map<string, Promise<Buffer>>();
    tab.on('response', (res) => {
      const url = new URL(res.url());
      if (
        url.origin === stack.url &&
        (res.request().resourceType() === 'script' || url.pathname.endsWith('.js')) &&
        !seen.has(url.pathname)
      )
        seen.set(url.pathname, res.body());
    });
    await tab.goto(`${stack.url}${page}`, { waitUntil: 'networkidle' });
    await tab.locator('h1').first().waitFor();
    const scripts: PageScript[] = [];
    for (const [path, body] of seen) {
      const b = await body;
      scripts.push({ path, bytes: b.length, gzipBytes: gzipSync(b, { level: 9 }).length });
    }
    scripts.sort((a, b) => b.gzipBytes - a.gzipBytes);
    await context.close();
    const bytes = scripts.reduce((s, x) => s + x.bytes, 0);
    const gzipBytes = scripts.reduce((s, x) => s + x.gzipBytes, 0);
    const row: PageJsRow = { page, locale, scripts, bytes, gzipBytes, verdict: budget === undefined ? 'report' : 'ok' };
    if (budget !== undefined) {
      row.budget = budget;
      if (gzipBytes > budget) {
        row.verdict = 'FAIL';
        row.problem = `the ${page} page (${locale}) loads ${gzipBytes} bytes of gzipped JavaScript; the budget is ${budget}`;
      }
    }
    return row;
  } finally {
    await browser.close();
    await stack.close();
  }
}
