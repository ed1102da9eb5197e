import { describe, expect, it } from 'vitest';
import {
  coveringTiles,
  gcj02ToWgs84,
  inverseMercator,
  MAX_LATITUDE,
  mercator,
  outOfChina,
  TILE_SIZE,
  tileCorner,
  tileOf,
  tileUrl,
  tileZoom,
  wgs84ToGcj02,
} from './tile-math';

/** The population map's tile background: pure arithmetic, tested without a browser. */

describe('Web Mercator and the XYZ tile scheme', () => {
  it('puts (0°, 0°) in the middle of the world and the corners at ±180°, ±85.05°', () => {
    expect(mercator([0, 0])).toEqual([128, 128]);
    const [x0, y0] = mercator([-180, MAX_LATITUDE]);
    expect(x0).toBe(0);
    expect(y0).toBeCloseTo(0, 9);
    const [x1, y1] = mercator([180, -MAX_LATITUDE]);
    expect(x1).toBe(TILE_SIZE);
    expect(y1).toBeCloseTo(TILE_SIZE, 9);
    // Beyond the square world, latitudes are held at its edge.
    expect(mercator([0, 89])[1]).toBeCloseTo(0, 9);
  });

  it('inverts its own projection', () => {
    for (const p of [
      [120.106, 30.205],
      [-73.98, 40.75],
      [151.2, -33.87],
    ] as const) {
      const [lon, lat] = inverseMercator(mercator(p));
      expect(lon).toBeCloseTo(p[0], 10);
      expect(lat).toBeCloseTo(p[1], 10);
    }
  });

  it.each([
    ['Berlin', [13.405, 52.52], 10, { x: 550, y: 335 }],
    ['London', [-0.1276, 51.5072], 12, { x: 2046, y: 1362 }],
    ['Tiananmen', [116.3975, 39.9087], 15, { x: 26978, y: 12416 }],
    ['a grid near Hangzhou', [120.106, 30.205], 16, { x: 54632, y: 26995 }],
    ['anywhere at zoom 0', [77, -12], 0, { x: 0, y: 0 }],
  ] as const)('finds the tile holding %s', (_name, lonLat, z, tile) => {
    expect(tileOf(lonLat, z)).toEqual(tile);
  });

  it('gives the north-west corner of a tile, the inverse of tileOf', () => {
    expect(tileCorner(0, 0, 0)[0]).toBe(-180);
    expect(tileCorner(0, 0, 0)[1]).toBeCloseTo(MAX_LATITUDE, 9);
    expect(tileCorner(1, 1, 1)).toEqual([0, 0]);
    const corner = tileCorner(54632, 26995, 16);
    // A hair inside the tile from its corner is still that tile.
    expect(tileOf([corner[0] + 1e-7, corner[1] - 1e-7], 16)).toEqual({ x: 54632, y: 26995 });
  });

  it('picks the nearest zoom level for a scale, within 0 and the provider’s maximum', () => {
    expect(tileZoom(1, 18)).toBe(0);
    expect(tileZoom(2 ** 15.4, 18)).toBe(15);
    expect(tileZoom(2 ** 15.6, 18)).toBe(16);
    expect(tileZoom(2 ** 20, 18)).toBe(18);
    expect(tileZoom(0.1, 18)).toBe(0);
  });

  it('fills a URL template, taking subdomains in turn', () => {
    expect(tileUrl('https://t.example.org/{z}/{x}/{y}.png', undefined, 3, 5, 2)).toBe('https://t.example.org/3/5/2.png');
    const tpl = 'https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}';
    expect(tileUrl(tpl, ['1', '2', '3', '4'], 16, 54632, 26995)).toBe(
      'https://webrd04.is.autonavi.com/appmaptile?style=8&x=54632&y=26995&z=16',
    );
    expect(tileUrl(tpl, ['1', '2', '3', '4'], 16, 54633, 26995)).toBe(
      'https://webrd01.is.autonavi.com/appmaptile?style=8&x=54633&y=26995&z=16',
    );
  });
});

describe('which tiles cover a view', () => {
  it('is the four tiles of zoom 1 for the whole world drawn 512 px wide', () => {
    const tiles = coveringTiles({ width: 512, height: 512, originX: 0, originY: 0, scale: 2 }, 18);
    expect(tiles.map((t) => [t.z, t.x, t.y, t.left, t.top, t.width, t.height])).toEqual([
      [1, 0, 0, 0, 0, 256, 256],
      [1, 1, 0, 256, 0, 256, 256],
      [1, 0, 1, 0, 256, 256, 256],
      [1, 1, 1, 256, 256, 256, 256],
    ]);
  });

  it('covers a town-sized view completely, edge to edge with no gap or overlap, including the tile under its centre', () => {
    const centre = mercator([120.106, 30.205]);
    const scale = 2 ** 15.7; // between zoom 15 and 16: the tiles are drawn at 16, a little shrunk
    const view = { width: 900, height: 420, originX: 450 - centre[0] * scale, originY: 210 - centre[1] * scale, scale };
    const tiles = coveringTiles(view, 18);
    expect(new Set(tiles.map((t) => t.z))).toEqual(new Set([16]));
    const size = (scale * TILE_SIZE) / 2 ** 16;
    for (const t of tiles) {
      expect(Math.abs(t.width - size)).toBeLessThanOrEqual(1);
      expect(t.left).toBeLessThan(view.width);
      expect(t.left + t.width).toBeGreaterThan(0);
      expect(t.top).toBeLessThan(view.height);
      expect(t.top + t.height).toBeGreaterThan(0);
    }
    // Rows and columns tile the view exactly: each starts where its neighbour ends.
    const lefts = [...new Set(tiles.map((t) => t.left))].sort((a, b) => a - b);
    const tops = [...new Set(tiles.map((t) => t.top))].sort((a, b) => a - b);
    expect(tiles).toHaveLength(lefts.length * tops.length);
    expect(lefts[0]).toBeLessThanOrEqual(0);
    expect(tops[0]).toBeLessThanOrEqual(0);
    const byLeft = new Map(tiles.map((t) => [t.left, t]));
    for (const l of lefts.slice(1)) expect(tiles.some((t) => t.left + t.width === l)).toBe(true);
    const lastColumn = byLeft.get(lefts[lefts.length - 1] as number);
    expect((lastColumn?.left ?? 0) + (lastColumn?.width ?? 0)).toBeGreaterThanOrEqual(view.width);
    const middle = tileOf([120.106, 30.205], 16);
    const under = tiles.find((t) => t.x === middle.x && t.y === middle.y);
    expect(under && under.left <= 450 && under.left + under.width > 450 && under.top <= 210 && under.top + under.height > 210).toBe(true);
  });

  it('wraps around the antimeridian and stops at the poles', () => {
    // Zoom 1, the view's left edge at world x = 150 (of 256), its top 100 px above the north edge.
    const tiles = coveringTiles({ width: 400, height: 400, originX: -300, originY: 100, scale: 2 }, 18);
    expect(tiles.map((t) => `${t.x}/${t.y}@${t.column}`)).toEqual(['1/0@1', '0/0@2', '1/1@1', '0/1@2']);
    expect(tiles[0]?.top).toBe(100);
  });

  it('enlarges the provider’s deepest tiles for closer views', () => {
    const tiles = coveringTiles({ width: 600, height: 300, originX: -1000, originY: -1000, scale: 2 ** 20 }, 17);
    expect(tiles.every((t) => t.z === 17 && t.width === 2048)).toBe(true);
  });

  it('draws nothing for an empty or degenerate view, or one of the world many times over', () => {
    expect(coveringTiles({ width: 0, height: 300, originX: 0, originY: 0, scale: 4 }, 18)).toEqual([]);
    expect(coveringTiles({ width: 300, height: 300, originX: 0, originY: 0, scale: 0 }, 18)).toEqual([]);
    expect(coveringTiles({ width: 300, height: 300, originX: 0, originY: 0, scale: Number.NaN }, 18)).toEqual([]);
    expect(coveringTiles({ width: 100_000, height: 100, originX: 0, originY: 0, scale: 0.01 }, 18)).toEqual([]);
  });
});

describe('GCJ-02', () => {
  // Published pairs (WGS-84 → GCJ-02) from independent implementations of the standard formula.
  it.each([
    ['Beijing centre', [116.404, 39.915], [116.41024449916938, 39.91640428150164]],
    ['north-west of Beijing', [116.0, 40.0], [116.006141221789, 40.001213650174]],
    ['Jiaxing', [121.0917077, 30.6107779], [121.09626935575027, 30.608604331756705]],
  ] as const)('shifts %s as the published conversion does', (_name, wgs, gcj) => {
    const [lon, lat] = wgs84ToGcj02(wgs);
    expect(Math.abs(lon - gcj[0])).toBeLessThan(1e-7);
    expect(Math.abs(lat - gcj[1])).toBeLessThan(1e-7);
  });

  it('converts back to WGS-84 (published: GCJ-02 123°, 45° is WGS-84 122.99395597°, 44.99804071°)', () => {
    const [lon, lat] = gcj02ToWgs84([123, 45]);
    expect(Math.abs(lon - 122.99395597)).toBeLessThan(1e-6);
    expect(Math.abs(lat - 44.99804071)).toBeLessThan(1e-6);
    for (const p of [
      [120.106, 30.205],
      [87.6, 43.8],
      [113.26, 23.13],
    ] as const) {
      const [bLon, bLat] = gcj02ToWgs84(wgs84ToGcj02(p));
      expect(Math.abs(bLon - p[0])).toBeLessThan(1e-8);
      expect(Math.abs(bLat - p[1])).toBeLessThan(1e-8);
    }
  });

  it('moves points in China by a few hundred metres', () => {
    const p = [120.106, 30.205] as const;
    const [lon, lat] = wgs84ToGcj02(p);
    const metres = Math.hypot((lon - p[0]) * 111_320 * Math.cos((p[1] * Math.PI) / 180), (lat - p[1]) * 110_574);
    expect(metres).toBeGreaterThan(100);
    expect(metres).toBeLessThan(800);
  });

  it.each([
    ['London', [-0.1276, 51.5072]],
    ['New York', [-73.98, 40.75]],
    ['Sydney', [151.2, -33.87]],
    ['Tokyo', [139.69, 35.69]],
    ['Singapore', [103.82, 0.35]],
  ] as const)('leaves %s (outside China) unchanged, both ways', (_name, p) => {
    expect(outOfChina(p)).toBe(true);
    expect(wgs84ToGcj02(p)).toEqual([p[0], p[1]]);
    expect(gcj02ToWgs84(p)).toEqual([p[0], p[1]]);
  });
});
