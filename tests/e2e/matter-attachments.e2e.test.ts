import { deflateSync } from 'node:zlib';
import { crc32 } from '@gridline/domain';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { browserSession, POLL, SHOTS, scrollsSideways } from './browser';

/**
 * Photos on matters (事件附件) in Chromium against the local stack, at a phone's 390 × 844: the
 * coordinator of qs-g1 raises a matter with a photo (checked before it is sent, uploaded with a progress
 * bar, the form waiting for it), then resolves it with a photo of the result. The matter's page shows
 * both as thumbnails; opening one fetches a fresh link whose bytes are the photo without its location,
 * and a refused link says so. The test command builds the web app first; this file never builds it.
 */

const session = browserSession();
const { newPage, signIn } = session;
const PHONE_390 = { width: 390, height: 844 };
const PLACE = 'GPS-31.2342N-121.4737E';
let stack: TestStack;

beforeAll(async () => {
  stack = await session.start();
});
afterAll(() => session.close());

/** A real 2 × 2 RGB PNG (it draws as a thumbnail) with a tEXt chunk naming a place, which upload completion removes. */
function photo(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  // Two rows, each a filter byte and two red-green pixels.
  const rows = Buffer.from([0, 255, 0, 0, 0, 200, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('tEXt', Buffer.from(`Location\0${PLACE}`, 'latin1')),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function signedIn(page: Page, username: string) {
  await signIn(page, username);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Whether a thumbnail has drawn (decoded, not broken). */
const drawn = (thumb: Locator) =>
  thumb.evaluate((img) => {
    const i = img as unknown as { complete: boolean; naturalWidth: number };
    return i.complete && i.naturalWidth > 0;
  });

describe('matter attachments', () => {
  it('raises a matter with a photo on a phone, resolves it with another, and opens them from the page', async () => {
    const page = await newPage(PHONE_390);
    await signedIn(page, 'qingshi.grid1');
    await page.goto(`${stack.url}/town/matters/new`);
    await page.getByTestId('i-category').selectOption('sanitation');
    await page.getByTestId('i-grid').selectOption('qs-g1');
    await page.getByTestId('i-description').fill('楼道灯不亮，附现场照片');
    await page.getByTestId('i-reporter-name').fill('钱阿姨');

    // A file of the wrong kind is refused before anything is sent, by name.
    const uploads: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.method() === 'POST' && (path.startsWith('/blobs/') || path.startsWith('/api/town/uploads')))
        uploads.push(path.startsWith('/blobs/') ? 'storage' : path.replace(/u-[a-z0-9]+/, '{uploadId}'));
    });
    await page.getByTestId('files-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    expect(await page.getByTestId('files-problem').textContent()).toContain('notes.txt');
    expect(await page.getByTestId('file-item').count()).toBe(0);

    // The photo: while the server checks it the bar shows and the form cannot be submitted.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/api/town/uploads/*/complete', async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    const bytes = photo();
    await page.getByTestId('files-input').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: bytes });
    const item = page.getByTestId('file-item');
    await item.getByTestId('file-progress').waitFor();
    expect(await page.getByTestId('i-submit').isDisabled()).toBe(true);
    await page.getByTestId('i-files-busy').waitFor();
    expect(await page.getByTestId('files-problem').count()).toBe(0);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/matter-attachments-uploading-390.png`, fullPage: true });
    release();
    await expect.poll(() => item.getAttribute('data-stage'), POLL).toBe('ready');
    await page.unroute('**/api/town/uploads/*/complete');
    expect(uploads).toEqual(['/api/town/uploads', 'storage', '/api/town/uploads/{uploadId}/complete']);
    const uploadId = (await item.getAttribute('data-upload')) ?? '';
    expect(uploadId).toMatch(/^u-/);
    expect(await page.getByTestId('i-submit').isDisabled()).toBe(false);

    // Submitted: the intake carries the upload, and the matter's page shows it as a thumbnail.
    const raise = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/town/matters');
    await page.getByTestId('i-submit').click();
    expect((await raise).postDataJSON().attachmentIds).toEqual([uploadId]);
    await page.waitForURL((u) => /^\/town\/matters\/[^/]+$/.test(u.pathname) && u.pathname !== '/town/matters/new');
    const shown = page.getByTestId('matter-attachments').getByTestId('attachment');
    await shown.first().waitFor();
    expect(await shown.getAttribute('data-upload')).toBe(uploadId);
    await expect.poll(() => drawn(page.getByTestId('matter-attachments').getByTestId('attachment-thumb')), POLL).toBe(true);

    // Opening it asks for a fresh link; the file behind it is the photo without the place it named.
    const linked = page.waitForResponse((r) => r.url().endsWith(`/api/town/uploads/${uploadId}/link`) && r.request().method() === 'GET');
    await page.getByTestId('matter-attachments').getByTestId('attachment-open').click();
    const link = await linked;
    expect(link.status()).toBe(200);
    const { url } = (await link.json()) as { url: string };
    const file = await page.request.get(new URL(url, stack.url).href);
    expect(file.status()).toBe(200);
    const got = await file.body();
    expect(got.subarray(0, 8)).toEqual(bytes.subarray(0, 8));
    expect(got.includes(Buffer.from(PLACE, 'latin1'))).toBe(false);
    expect(got.length).toBeLessThan(bytes.length);
    expect(await page.getByTestId('attachment-problem').count()).toBe(0);

    // Resolving with a photo of the result: the timeline's step carries it.
    for (const action of ['accept', 'resolve']) {
      const before = await page.getByTestId('matter-head').getAttribute('data-version');
      await page.getByTestId(`act-${action}`).click();
      if (action === 'resolve') {
        await page.getByTestId('a-resolution').fill('已更换灯泡，附照片');
        await page.getByTestId('files-input').setInputFiles({ name: 'done.png', mimeType: 'image/png', buffer: photo() });
        await expect.poll(() => page.getByTestId('file-item').getAttribute('data-stage'), POLL).toBe('ready');
      }
      await page.getByTestId('act-submit').click();
      await expect.poll(() => page.getByTestId('matter-head').getAttribute('data-version'), POLL).not.toBe(before);
    }
    const resolved = page.locator('[data-testid="timeline-entry"][data-kind="resolved"]');
    await resolved.getByTestId('event-attachments').getByTestId('attachment').waitFor();
    const resultId = (await resolved.getByTestId('attachment').getAttribute('data-upload')) ?? '';
    expect(resultId).toMatch(/^u-/);
    expect(resultId).not.toBe(uploadId);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/matter-attachments-390.png`, fullPage: true });

    // Whoever may read the matter gets a link (the community's station); a refused link says so on the page.
    const station = await stack.call('GET', `/town/uploads/${resultId}/link`, { token: await stack.token('qingshi.station1') });
    expect(station.status).toBe(200);
    await page.route(`**/api/town/uploads/${resultId}/link`, (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'upload.not_found', message: 'gone' } }),
      }),
    );
    await resolved.getByTestId('attachment-open').click();
    await resolved.getByTestId('attachment-problem').waitFor();
    expect(await resolved.getByTestId('attachment-problem').textContent()).toContain('无法打开此附件');
  }, 90_000);
});
