/**
 * The arithmetic of the map's tile background (lib/map/tiles.ts), without the DOM: Web Mercator, the
 * XYZ tile scheme, which tiles cover a view, and the WGS-84 → GCJ-02 offset of Chinese map providers.
 * Loaded only with the tile layer, when the site has map tiles configured.
 */

/** Side of a tile, in pixels at its own zoom level. At zoom 0 one tile holds the whole world. */
export const TILE_SIZE = 256;
/** The latitude at which Web Mercator makes the world square: atan(sinh(π)). */
export const MAX_LATITUDE = 85.0511287798066;

/** Longitude, latitude in degrees. */
export type LonLat = readonly [number, number];
/** A point of the Mercator plane, in "world units": the world is TILE_SIZE units wide, y grows southwards. */
export type WorldPoint = readonly [number, number];

const RAD = Math.PI / 180;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Spherical (Web) Mercator of a longitude/latitude, in world units. */
export function mercator([lon, lat]: LonLat): [number, number] {
  const phi = clamp(lat, -MAX_LATITUDE, MAX_LATITUDE) * RAD;
  const x = (TILE_SIZE * (lon + 180)) / 360;
  const y = TILE_SIZE * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI));
  return [x, y];
}

/** The longitude/latitude of a point of the Mercator plane. */
export function inverseMercator([x, y]: WorldPoint): [number, number] {
  const lon = (x / TILE_SIZE) * 360 - 180;
  const lat = Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / TILE_SIZE))) / RAD;
  return [lon, lat];
}

/** The tile holding a longitude/latitude at zoom z (x from the antimeridian eastwards, y from the north). */
export function tileOf(lonLat: LonLat, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const [mx, my] = mercator(lonLat);
  const index = (v: number) => clamp(Math.floor((v * n) / TILE_SIZE), 0, n - 1);
  return { x: index(mx), y: index(my) };
}

/** The north-west corner of tile x/y at zoom z, as longitude/latitude. */
export function tileCorner(x: number, y: number, z: number): [number, number] {
  const unit = TILE_SIZE / 2 ** z;
  return inverseMercator([x * unit, y * unit]);
}

/** The tile zoom for a view drawn at `scale` pixels per world unit: the nearest level, at most maxZoom. */
export function tileZoom(scale: number, maxZoom: number): number {
  return clamp(Math.round(Math.log2(scale)), 0, maxZoom);
}

/**
 * A view of the Mercator plane: the pixel where world point (0, 0) falls, and how many pixels one
 * world unit takes (uniform: the map is never stretched).
 */
export type View = { width: number; height: number; originX: number; originY: number; scale: number };

/**
 * One tile to draw: its address (x wrapped around the world, so `column` tells copies apart) and its
 * place in whole pixels. Neighbours share edges exactly, so no seam shows between them.
 */
export type PlacedTile = { z: number; x: number; y: number; column: number; left: number; top: number; width: number; height: number };

/** More than this many tiles means a view no town map needs (the whole world many times over). */
const MAX_TILES = 512;

/** The tiles that cover a view at the zoom that suits it, north-west first, row by row. */
export function coveringTiles(view: View, maxZoom: number): PlacedTile[] {
  if (!(view.scale > 0) || !Number.isFinite(view.scale) || view.width <= 0 || view.height <= 0) return [];
  const z = tileZoom(view.scale, maxZoom);
  const n = 2 ** z;
  const size = (view.scale * TILE_SIZE) / n;
  const first = (origin: number) => Math.floor(-origin / size);
  const last = (origin: number, extent: number) => Math.ceil((extent - origin) / size) - 1;
  const columns: [number, number] = [first(view.originX), last(view.originX, view.width)];
  // Rows above the north edge or below the south edge of the world do not exist.
  const rows: [number, number] = [Math.max(0, first(view.originY)), Math.min(n - 1, last(view.originY, view.height))];
  if ((columns[1] - columns[0] + 1) * (rows[1] - rows[0] + 1) > MAX_TILES) return [];
  const at = (origin: number, i: number) => Math.round(origin + i * size);
  const out: PlacedTile[] = [];
  for (let y = rows[0]; y <= rows[1]; y++)
    for (let column = columns[0]; column <= columns[1]; column++) {
      const left = at(view.originX, column);
      const top = at(view.originY, y);
      out.push({
        z,
        x: ((column % n) + n) % n,
        y,
        column,
        left,
        top,
        width: at(view.originX, column + 1) - left,
        height: at(view.originY, y + 1) - top,
      });
    }
  return out;
}

/** A tile's address in a URL template (`{z}`, `{x}`, `{y}`, and `{s}` taken from the subdomains in turn). */
export function tileUrl(template: string, subdomains: readonly string[] | undefined, z: number, x: number, y: number): string {
  const s = subdomains?.length ? (subdomains[(x + y) % subdomains.length] ?? '') : '';
  const values: Record<string, string | number> = { z, x, y, s };
  return template.replace(/\{([zxys])\}/g, (_m, k: string) => String(values[k] ?? ''));
}

// GCJ-02 ("Mars coordinates"): the obfuscated datum Chinese law requires of published maps. Maps of
// AutoNavi, Tencent and most Chinese providers are drawn in it, so WGS-84 boundaries must be shifted by
// the same published formula (about 100-700 m) to sit on them. Outside China the two are identical.

/** Semi-major axis and squared eccentricity of the Krasovsky 1940 ellipsoid, which the formula uses. */
const KRASOVSKY_A = 6378245;
const KRASOVSKY_EE = 0.006693421622965943;

/** The formula's rough box around China; outside it, no offset is applied. */
export function outOfChina([lon, lat]: LonLat): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function latitudeShift(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function longitudeShift(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** A WGS-84 longitude/latitude in GCJ-02; unchanged outside China. */
export function wgs84ToGcj02(p: LonLat): [number, number] {
  const [lon, lat] = p;
  if (outOfChina(p)) return [lon, lat];
  const radLat = lat * RAD;
  const sin = Math.sin(radLat);
  const w = 1 - KRASOVSKY_EE * sin * sin;
  const dLat = (latitudeShift(lon - 105, lat - 35) * 180) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (w * Math.sqrt(w))) * Math.PI);
  const dLon = (longitudeShift(lon - 105, lat - 35) * 180) / ((KRASOVSKY_A / Math.sqrt(w)) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/**
 * A GCJ-02 longitude/latitude back in WGS-84. The formula has no closed inverse; the offset changes
 * slowly, so a few fixed-point steps reach a point whose GCJ-02 image is within 1e-9° of `p`.
 */
export function gcj02ToWgs84(p: LonLat): [number, number] {
  if (outOfChina(p)) return [p[0], p[1]];
  let lon = p[0];
  let lat = p[1];
  for (let i = 0; i < 20; i++) {
    const [gLon, gLat] = wgs84ToGcj02([lon, lat]);
    const dLon = gLon - p[0];
    const dLat = gLat - p[1];
    lon -= dLon;
    lat -= dLat;
    if (Math.abs(dLon) < 1e-9 && Math.abs(dLat) < 1e-9) break;
  }
  return [lon, lat];
}
