import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { type MapTiles, parseMapTiles } from '@gridline/domain';
import { startLocalStack } from '@gridline/local';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mercator, TILE_SIZE, wgs84ToGcj02 } from '../../web/src/lib/map/tile-math';
import type { TestStack } from '../support/stack';
import { browserSession, PASSWORD, POLL, SHOTS, WEB_BUILD } from './browser';

/**
 * The population map's optional tile background in Chromium. A tiny tile server (node:http, one
 * generated PNG for every tile) stands in for a provider; the local stack is started with the map tile
 * setting pointing at it (GCJ-02, as Chinese providers draw). A town admin opens the map of a town whose
 * grid has a boundary: tiles are requested, drawn under the boundaries where the boundary's own
 * position says, follow a zoom, and carry the attribution. A second local stack on the same data,
 * without the setting, draws the same map with no tile request and without loading the tile code.
 * The test command builds the web app first; this file never builds it.
 */

/** A solid 256 × 256 PNG (RGB) of one colour, encoded by hand: signature, IHDR, one IDAT, IEND. */
function solidPng([r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(TILE_SIZE, 0);
  header.writeUInt32BE(TILE_SIZE, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour, no interlace
  const row = Buffer.alloc(1 + TILE_SIZE * 3);
  for (let i = 0; i < TILE_SIZE; i++) row.set([r, g, b], 1 + i * 3);
  const pixels = Buffer.concat(Array.from({ length: TILE_SIZE }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const TILE_COLOUR: [number, number, number] = [64, 176, 112];
const ATTRIBUTION = '© 测试底图 GS(2024)0000号';
/** The grid's boundary (WGS-84), about 1.1 km square, near Hangzhou. */
const SQUARE = [
  [120.1, 30.2],
  [120.112, 30.2],
  [120.112, 30.21],
  [120.1, 30.21],
  [120.1, 30.2],
];

/** Tile requests that reached the tile server, as `z/x/y`. */
const requested: string[] = [];
let tiles: Server;
let tileOrigin: string;
/** Filled in once the tile server has a port, before the session starts its stack. */
const stackOptions: { mapTiles?: MapTiles } = {};
const session = browserSession({ landing: '**/town', stack: stackOptions });
let stack: TestStack;

/** The hashed chunk that holds the tile code (Web Mercator's latitude limit is in it and nowhere else). */
function tileChunk(): string {
  const dir = join(WEB_BUILD, '_app/immutable/chunks');
  const found = readdirSync(dir).filter((f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes('85.0511287798066'));
  expect(found).toHaveLength(1);
  return found[0] as string;
}

/** Signs in as the town admin on a stack's own origin and opens the map; gives back every URL the page asked for. */
async function openMap(page: Page, origin: string): Promise<string[]> {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto(`${origin}/login`);
  await page.locator('#username').fill('qingshi.admin');
  await page.locator('#password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/town');
  await page.goto(`${origin}/town/map`);
  await page.getByTestId('map-boundaries').waitFor();
  await page.locator('[data-testid="map-chart"] canvas').first().waitFor();
  return urls;
}

/** Where tiles and chart sit on the page. */
type Placed = {
  chart: { x: number; y: number; width: number; height: number };
  tiles: Array<{ tile: string; left: number; top: number; width: number; loaded: boolean; natural: number }>;
};

/** The tile layer as the browser lays it out: the chart's drawing box and every tile image in it. */
function placed(page: Page): Promise<Placed> {
  return page.evaluate(() => {
    type Box = { left: number; top: number; width: number };
    type El = { getBoundingClientRect(): Box; clientLeft: number; clientTop: number; clientWidth: number; clientHeight: number };
    type Img = El & { dataset: { tile?: string }; complete: boolean; naturalWidth: number };
    const doc = (globalThis as unknown as { document: { querySelector(s: string): El; querySelectorAll(s: string): Img[] } }).document;
    const chart = doc.querySelector('[data-testid="map-chart"]');
    const r = chart.getBoundingClientRect();
    return {
      chart: { x: r.left + chart.clientLeft, y: r.top + chart.clientTop, width: chart.clientWidth, height: chart.clientHeight },
      tiles: [...doc.querySelectorAll('[data-testid="map-tiles"] img')].map((i) => {
        const b = i.getBoundingClientRect();
        return { tile: i.dataset.tile ?? '', left: b.left, top: b.top, width: b.width, loaded: i.complete, natural: i.naturalWidth };
      }),
    };
  });
}

/**
 * Checks that the tiles sit where the boundary does: the chart centres the boundary's (projected) box,
 * so the point of the Mercator plane under the chart's centre is that box's centre, and the tile
 * holding it must be drawn at exactly the offset that point has within it.
 */
function expectAligned(p: Placed) {
  const corners = SQUARE.map(([lon, lat]) => mercator(wgs84ToGcj02([lon as number, lat as number])));
  const mid = (k: 0 | 1) => (Math.min(...corners.map((c) => c[k])) + Math.max(...corners.map((c) => c[k]))) / 2;
  const z = Number(p.tiles[0]?.tile.split('/')[0]);
  const fx = (mid(0) * 2 ** z) / TILE_SIZE;
  const fy = (mid(1) * 2 ** z) / TILE_SIZE;
  const key = `${z}/${Math.floor(fx)}/${Math.floor(fy)}`;
  const under = p.tiles.find((t) => t.tile === key);
  expect(under, `tile ${key} under the chart's centre`).toBeDefined();
  if (!under) return;
  const centreX = p.chart.x + p.chart.width / 2;
  const centreY = p.chart.y + p.chart.height / 2;
  expect(Math.abs(under.left + (fx - Math.floor(fx)) * under.width - centreX)).toBeLessThan(2.5);
  expect(Math.abs(under.top + (fy - Math.floor(fy)) * under.width - centreY)).toBeLessThan(2.5);
}

/** The colour the user sees at a point of the page (from a screenshot, read back through a canvas). */
async function colourAt(page: Page, x: number, y: number): Promise<number[]> {
  const shot = await page.screenshot({ clip: { x, y, width: 1, height: 1 } });
  return page.evaluate(
    async (src) => {
      type Ctx = {
        drawImage(i: unknown, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: number[] };
      };
      const doc = (
        globalThis as unknown as { document: { createElement(t: string): { width: number; height: number; getContext(t: string): Ctx } } }
      ).document;
      const ImageCtor = (globalThis as unknown as { Image: new () => { src: string; decode(): Promise<void> } }).Image;
      const img = new ImageCtor();
      img.src = src;
      await img.decode();
      const canvas = doc.createElement('canvas');
      canvas.width = 1;
      canvas.height = 1;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      return [...ctx.getImageData(0, 0, 1, 1).data].slice(0, 3);
    },
    `data:image/png;base64,${shot.toString('base64')}`,
  );
}

beforeAll(async () => {
  const png = solidPng(TILE_COLOUR);
  tiles = createServer((req, res) => {
    const m = /^\/tiles\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    requested.push(`${m[1]}/${m[2]}/${m[3]}`);
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length, 'cache-control': 'no-store' }).end(png);
  });
  await new Promise<void>((r) => tiles.listen(0, '127.0.0.1', r));
  tileOrigin = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}`;
  // The setting as an operator writes it in GRIDLINE_MAP_TILES, checked the same way start-up checks it.
  stackOptions.mapTiles = parseMapTiles(
    JSON.stringify({ url: `${tileOrigin}/tiles/{z}/{x}/{y}.png`, coordinateSystem: 'gcj02', attribution: ATTRIBUTION, maxZoom: 18 }),
    'GRIDLINE_MAP_TILES',
  );
  stack = await session.start();

  // One grid with a drawn boundary (青石镇's demo grids have none).
  const token = await stack.token('qingshi.admin');
  const created = await stack.call('POST', '/town/grids', {
    token,
    body: { communityId: 'liuhe-sq', name: '底图测试网格', code: 'LH-TILE' },
  });
  expect(created.status).toBe(201);
  const grid = created.body as { gridId: string; version: number };
  const patched = await stack.call('PATCH', `/town/grids/${grid.gridId}`, {
    token,
    body: { version: grid.version, boundary: { type: 'Polygon', coordinates: [SQUARE] } },
  });
  expect(patched.status).toBe(200);
});

afterAll(async () => {
  await session.close();
  await new Promise<void>((r) => (tiles ? tiles.close(() => r()) : r()));
});

describe('the population map without map tiles (the default)', () => {
  it('draws the boundaries with no tile request, no tile layer and no tile code', async () => {
    // The same data and accounts, served by a stack started without the setting.
    const plain = await startLocalStack({ key: stack.key, directory: stack.directory, webDir: WEB_BUILD });
    try {
      const config = (await (await fetch(`${plain.url}/config.json`)).json()) as Record<string, unknown>;
      expect(config).not.toHaveProperty('mapTiles');
      const html = await fetch(`${plain.url}/town/map`);
      expect(html.headers.get('content-security-policy')).toContain("img-src 'self' data: blob:;");
      const page = await session.newPage();
      const before = requested.length;
      const urls = await openMap(page, plain.url);
      // Give a tile layer every chance to appear before concluding there is none.
      await page.waitForTimeout(1500);
      expect(await page.getByTestId('map-tiles').count()).toBe(0);
      expect(await page.getByTestId('map-tiles-credit').count()).toBe(0);
      expect(await page.getByTestId('map-tiles-failed').count()).toBe(0);
      expect(requested.length).toBe(before);
      expect(urls.filter((u) => u.startsWith(tileOrigin))).toEqual([]);
      expect(urls.filter((u) => u.endsWith(tileChunk()))).toEqual([]);
      await page.close();
    } finally {
      await plain.close();
    }
  });
});

describe('the population map with map tiles', () => {
  it('admits the tile server in the CSP and hands the setting to the web app', async () => {
    const config = (await (await fetch(`${stack.url}/config.json`)).json()) as Record<string, unknown>;
    expect(config.mapTiles).toEqual(stackOptions.mapTiles);
    const html = await fetch(`${stack.url}/town/map`);
    expect(html.headers.get('content-security-policy')).toContain(`img-src 'self' data: blob: ${tileOrigin};`);
  });

  it('requests tiles and draws them under the boundaries, in line with them, with the attribution', async () => {
    const page = await session.newPage();
    const before = requested.length;
    const urls = await openMap(page, stack.url);
    expect(urls.filter((u) => u.endsWith(tileChunk()))).toHaveLength(1);
    await expect
      .poll(async () => {
        const p = await placed(page);
        return p.tiles.length > 0 && p.tiles.every((t) => t.loaded && t.natural === TILE_SIZE);
      }, POLL)
      .toBe(true);
    const p = await placed(page);
    const arrived = requested.slice(before);
    // Every tile on the page came from the tile server, at one zoom level suited to a 1 km grid.
    expect(new Set(p.tiles.map((t) => t.tile))).toEqual(new Set(arrived));
    const z = Number(p.tiles[0]?.tile.split('/')[0]);
    expect(z).toBeGreaterThanOrEqual(14);
    expect(z).toBeLessThanOrEqual(17);
    // Together they cover the whole chart.
    expect(Math.min(...p.tiles.map((t) => t.left))).toBeLessThanOrEqual(p.chart.x);
    expect(Math.max(...p.tiles.map((t) => t.left + t.width))).toBeGreaterThanOrEqual(p.chart.x + p.chart.width);
    expectAligned(p);

    // The user sees the tiles: away from the grid, the chart shows the tile's colour.
    const seen = await colourAt(page, Math.round(p.chart.x + 12), Math.round(p.chart.y + 12));
    for (const [i, c] of seen.entries()) expect(Math.abs(c - (TILE_COLOUR[i] as number))).toBeLessThanOrEqual(3);
    await expect.poll(() => page.getByTestId('map-tiles-credit').textContent(), POLL).toContain(ATTRIBUTION);
    expect(await page.getByTestId('map-tiles-failed').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/gridline-map-tiles-desk.png`, fullPage: true });

    // Zooming in (the wheel over the chart's centre) brings tiles of a deeper level, still in line.
    await page.mouse.move(p.chart.x + p.chart.width / 2, p.chart.y + p.chart.height / 2);
    for (let i = 0; i < 4; i++) {
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(100);
    }
    await expect
      .poll(async () => {
        const q = await placed(page);
        return (
          q.tiles.length > 0 && Number(q.tiles[0]?.tile.split('/')[0]) > z && q.tiles.every((t) => t.loaded && t.natural === TILE_SIZE)
        );
      }, POLL)
      .toBe(true);
    expectAligned(await placed(page));
    await page.close();
  });

  it('says so when tiles cannot be had, and still draws the boundaries', async () => {
    const page = await session.newPage();
    await page.route(`${tileOrigin}/**`, (route) => route.abort());
    await openMap(page, stack.url);
    await page.getByTestId('map-tiles-failed').waitFor();
    expect(await page.getByTestId('map-tiles-failed').textContent()).toContain('底图加载失败');
    expect(await page.locator('[data-testid="map-chart"] canvas').count()).toBeGreaterThan(0);
    await page.close();
  });
});
