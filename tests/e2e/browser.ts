import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * What the end-to-end tests share: the built web app, the demo password, the viewports, and a
 * session that starts the local stack and Chromium, opens pages and signs in.
 * The test command builds the web app first; nothing here builds it.
 */

/** The built web app the local stack serves. */
export const WEB_BUILD = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/build');
/** The password every demo user has. */
export const PASSWORD = 'gridline-demo';
/** Where screenshots go (`GRIDLINE_SCREENSHOTS`, else /tmp). */
export const SHOTS = process.env.GRIDLINE_SCREENSHOTS ?? '/tmp';
/** A desktop window. */
export const DESK = { width: 1280, height: 900 };
/** A phone window. */
export const PHONE = { width: 375, height: 812 };
/** Pages update after their requests answer: assertions poll. */
export const POLL = { timeout: 10_000, interval: 100 };

/** A window size, as `DESK` and `PHONE` are. */
export type Viewport = { width: number; height: number };

/** The browser storage the page scripts touch (this tsconfig has no DOM library). */
export type StorageLike = {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  length: number;
  key(i: number): string | null;
};
/** The few browser globals the page scripts touch, read through `globalThis as unknown as Win`. */
export type Win = {
  document: { documentElement: { scrollWidth: number; clientWidth: number; lang: string } };
  sessionStorage: StorageLike;
  localStorage: StorageLike;
};

/** Whether the page is wider than the window, i.e. scrolls sideways. */
export const scrollsSideways = (page: Page) =>
  page.evaluate(() => {
    const { documentElement: root } = (globalThis as unknown as Win).document;
    return root.scrollWidth > root.clientWidth + 0.5;
  });

/** Everything the page keeps in browser storage, keys and values, to prove no personal data is there. */
export const storedText = (page: Page) =>
  page.evaluate(() => {
    const w = globalThis as unknown as Win;
    const dump = (s: StorageLike) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i) ?? '')}`);
    return [...dump(w.localStorage), ...dump(w.sessionStorage)].join('\n');
  });

/** Starts headless Chromium (`CHROMIUM_PATH`, else /usr/bin/chromium) with nothing talking to the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** How a test file's session differs from the others'. */
export type BrowserSessionOptions = {
  /** The URL pattern `signIn` waits for after submitting; without it `signIn` does not wait. */
  landing?: string;
  /** More browser context options for a page of the given window size. */
  context?: (viewport: Viewport) => BrowserContextOptions;
  /** Deployment settings of the local stack (e.g. map tiles). */
  stack?: Pick<NonNullable<Parameters<typeof startTestStack>[0]>, 'mapTiles'>;
};

/** One test file's local stack and Chromium: call `start` in `beforeAll` and `close` in `afterAll`. */
export function browserSession(options: BrowserSessionOptions = {}) {
  let stack: TestStack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  const started = () => {
    if (!stack || !browser) throw new Error('the browser session is not started: call start() in beforeAll');
    return { stack, browser };
  };

  return {
    /** Checks the web app is built, starts the local stack serving it and Chromium; gives back the stack. */
    async start(): Promise<TestStack> {
      if (!existsSync(resolve(WEB_BUILD, 'index.html')))
        throw new Error(`The web app is not built (${WEB_BUILD}/index.html is missing): run \`pnpm --filter @gridline/web build\` first.`);
      stack = await startTestStack({ ...options.stack, webDir: WEB_BUILD });
      browser = await launchChromium();
      return stack;
    },

    /** A page in a fresh context (Chinese locale, no service workers) of the given window size. */
    async newPage(viewport: Viewport = DESK): Promise<Page> {
      const context = await started().browser.newContext({
        viewport,
        locale: 'zh-CN',
        serviceWorkers: 'block',
        ...options.context?.(viewport),
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },

    /** Signs in on the login page, then waits for the session's landing URL if it has one. */
    async signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
      await page.goto(`${started().stack.url}/login`);
      await page.locator('#username').fill(username);
      await page.locator('#password').fill(password);
      await page.getByTestId('login-submit').click();
      if (options.landing) await page.waitForURL(options.landing);
    },

    /** Closes every page's context, Chromium and the stack. */
    async close(): Promise<void> {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await stack?.close();
    },
  };
}
