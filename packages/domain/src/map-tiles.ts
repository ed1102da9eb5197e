import * as z from './common/zod';

/**
 * The optional background of map tiles under the population map's grid boundaries: one setting per
 * deployment (CDK context `gridline:mapTiles`, locally the `GRIDLINE_MAP_TILES` environment variable),
 * checked here before anything uses it. Its origins go into the site's Content-Security-Policy
 * (`img-src`) and the setting itself into `/config.json`, where the web app reads it.
 *
 * Tiles are the usual Web Mercator `{z}/{x}/{y}` scheme (XYZ, y counted from the north). The coordinate
 * system says what the tiles are drawn in: `wgs84` for OpenStreetMap-style tiles, `gcj02` for most
 * providers in mainland China (AutoNavi, Tencent), whose offset the web app applies to the boundaries.
 */

const PLACEHOLDERS = new Set(['{z}', '{x}', '{y}', '{s}']);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export const MapTilesSchema = z
  .strictObject({
    /** URL template, e.g. `https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}`. */
    url: z.string().check(z.minLength(1), z.maxLength(500)),
    /** Values of `{s}`, one per request in turn; required exactly when the template has `{s}`. */
    subdomains: z.optional(
      z
        .array(z.string().check(z.regex(/^[a-z0-9-]{1,20}$/i, 'a subdomain is letters, digits or hyphens')))
        .check(z.minLength(1), z.maxLength(10)),
    ),
    coordinateSystem: z.enum(['wgs84', 'gcj02']),
    /** Shown over the map, as the provider's terms require (e.g. `© 高德地图 GS(2024)1234号`). */
    attribution: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    /** The highest zoom level the provider serves; closer views enlarge its tiles. */
    maxZoom: z._default(z.int().check(z.minimum(1), z.maximum(22)), 18),
  })
  .check(
    z.superRefine((t, ctx) => {
      const problem = (message: string, path: string = 'url') => ctx.addIssue({ code: 'custom', message, path: [path] });
      const found: string[] = t.url.match(/\{[^}]*\}/g) ?? [];
      for (const p of found) if (!PLACEHOLDERS.has(p)) problem(`unknown placeholder ${p} (allowed: {z}, {x}, {y}, {s})`);
      for (const p of ['{z}', '{x}', '{y}']) if (found.filter((f) => f === p).length !== 1) problem(`the template needs ${p} exactly once`);
      const hasS = found.includes('{s}');
      if (hasS && !t.subdomains) problem('the template has {s}: give "subdomains"', 'subdomains');
      if (!hasS && t.subdomains) problem('"subdomains" given but the template has no {s}', 'subdomains');
      const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(t.url)?.[1];
      if (authority === undefined) return problem('must be an absolute http(s) URL');
      if (/\{[zxy]\}/.test(authority)) problem('{z}, {x} and {y} belong in the path or query, not the host');
      for (const url of expand(t)) {
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          return problem(`not a URL: ${url}`);
        }
        if (parsed.username || parsed.password) return problem('must not carry a user name or password');
        if (parsed.hash) return problem('must not have a #fragment');
        if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)))
          return problem('must use https (plain http only for localhost, to try tiles out locally)');
      }
    }),
  );

/** The setting as written (maxZoom may be left out). */
export type MapTilesInput = z.input<typeof MapTilesSchema>;
/** The checked setting, with defaults filled in. */
export type MapTiles = z.output<typeof MapTilesSchema>;

/** The template with `{s}` replaced by each subdomain and `{z}/{x}/{y}` by 0: one URL per host. */
function expand(t: { url: string; subdomains?: string[] | undefined }): string[] {
  const sample = t.url.replace(/\{[zxy]\}/g, '0');
  return t.url.includes('{s}') ? (t.subdomains ?? []).map((s) => sample.replaceAll('{s}', s)) : [sample];
}

/**
 * Reads the setting from wherever it was written: an object (cdk.json) or its JSON text (`-c`, an
 * environment variable). Empty means "no tiles". Anything malformed throws an Error that names `where`
 * and says what is wrong, so synthesis or start-up stops with it.
 */
export function parseMapTiles(value: unknown, where: string): MapTiles | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let raw = value;
  if (typeof value === 'string') {
    try {
      raw = JSON.parse(value);
    } catch {
      throw new Error(`${where} is not valid JSON: expected {"url": "https://…/{z}/{x}/{y}.png", "coordinateSystem": "wgs84", …}`);
    }
  }
  const result = MapTilesSchema.safeParse(raw);
  if (!result.success) throw new Error(`${where} is not a valid map tile setting:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** The origins tiles are fetched from (`scheme://host[:port]`), sorted: what the CSP's img-src must admit. */
export function mapTileOrigins(t: MapTiles): string[] {
  return [...new Set(expand(t).map((u) => new URL(u).origin))].sort();
}
