import type { Backdrop } from './chart';
import { coveringTiles, gcj02ToWgs84, inverseMercator, mercator, TILE_SIZE, tileUrl, wgs84ToGcj02 } from './tile-math';

/**
 * The optional tile background of the grid boundary map. The population page loads this module only
 * when the site's /config.json has `mapTiles` (a deployment setting: `gridline:mapTiles` in CDK
 * context, `GRIDLINE_MAP_TILES` locally; packages/domain/src/map-tiles.ts checks it). Without the
 * setting, no code of this module is fetched and no tile is ever requested.
 *
 * The chart then lays the boundaries out in Web Mercator (the tiles' projection; for GCJ-02 tiles the
 * WGS-84 boundaries are shifted first), and this module keeps a layer of <img> tiles under the chart's
 * transparent canvas in step with it after every layout, pan, zoom and resize.
 */

/** The setting as /config.json carries it (checked at synthesis or start-up; re-checked here for shape). */
export type TileSetting = {
  url: string;
  subdomains?: string[];
  coordinateSystem: 'wgs84' | 'gcj02';
  attribution: string;
  maxZoom: number;
};

/** The setting from /config.json, or undefined when it is missing or not in the expected shape. */
export function readTileSetting(raw: unknown): TileSetting | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const t = raw as Record<string, unknown>;
  const subdomains = t.subdomains;
  if (
    typeof t.url !== 'string' ||
    !/^https?:\/\//.test(t.url) ||
    (t.coordinateSystem !== 'wgs84' && t.coordinateSystem !== 'gcj02') ||
    typeof t.attribution !== 'string' ||
    typeof t.maxZoom !== 'number' ||
    !Number.isInteger(t.maxZoom) ||
    (subdomains !== undefined && !(Array.isArray(subdomains) && subdomains.every((s) => typeof s === 'string')))
  )
    return undefined;
  return {
    url: t.url,
    coordinateSystem: t.coordinateSystem,
    attribution: t.attribution,
    maxZoom: t.maxZoom,
    ...(Array.isArray(subdomains) ? { subdomains: subdomains as string[] } : {}),
  };
}

/** Whether tiles arrive: `failed` once tiles fail and none has loaded, `ok` from the first one that loads. */
export type TileStatus = 'ok' | 'failed';

export function createTileBackdrop(setting: TileSetting, onstatus: (s: TileStatus) => void): Backdrop {
  const gcj = setting.coordinateSystem === 'gcj02';
  const projection = {
    project: (p: number[]) => mercator(gcj ? wgs84ToGcj02([p[0] ?? 0, p[1] ?? 0]) : [p[0] ?? 0, p[1] ?? 0]),
    unproject: (p: number[]) => {
      const lonLat = inverseMercator([p[0] ?? 0, p[1] ?? 0]);
      return gcj ? gcj02ToWgs84(lonLat) : lonLat;
    },
  };

  let layer: HTMLDivElement | undefined;
  /** Tiles on the page by zoom/column/row (a column is unique, x repeats around the world). */
  const shown = new Map<string, HTMLImageElement>();
  let loaded = 0;
  let status: TileStatus | undefined;
  const report = (s: TileStatus) => {
    if (s !== status) onstatus(s);
    status = s;
  };

  function mount(el: HTMLElement): HTMLDivElement {
    // The layer is placed against the chart's own box, where ECharts draws.
    if (getComputedStyle(el).position === 'static') el.style.position = 'relative';
    const div = document.createElement('div');
    div.dataset.testid = 'map-tiles';
    // Under ECharts' own layer (which comes after it), clipped to the chart, never in the way of the pointer.
    div.style.cssText = 'position:absolute;inset:0;overflow:hidden;pointer-events:none;border-radius:inherit';
    el.prepend(div);
    return div;
  }

  return {
    projection,
    draw(el, toPixel, width, height) {
      layer ??= mount(el);
      // Two points of the Mercator plane fix where it is and how large: the chart scales it uniformly.
      const a = toPixel([0, 0]);
      const b = toPixel([TILE_SIZE, TILE_SIZE]);
      if (!a || !b) return;
      const scale = ((b[0] ?? 0) - (a[0] ?? 0)) / TILE_SIZE;
      const tiles = coveringTiles({ width, height, originX: a[0] ?? 0, originY: a[1] ?? 0, scale }, setting.maxZoom);
      const keep = new Set<string>();
      for (const t of tiles) {
        const key = `${t.z}/${t.column}/${t.y}`;
        keep.add(key);
        let img = shown.get(key);
        if (!img) {
          img = document.createElement('img');
          img.alt = '';
          img.decoding = 'async';
          img.draggable = false;
          img.dataset.tile = `${t.z}/${t.x}/${t.y}`;
          img.addEventListener('load', () => {
            loaded += 1;
            report('ok');
          });
          img.addEventListener('error', () => {
            if (loaded === 0) report('failed');
            (img as HTMLImageElement).style.visibility = 'hidden';
          });
          img.src = tileUrl(setting.url, setting.subdomains, t.z, t.x, t.y);
          layer.append(img);
          shown.set(key, img);
        }
        img.style.cssText = `position:absolute;max-width:none;left:${t.left}px;top:${t.top}px;width:${t.width}px;height:${t.height}px;${
          img.style.visibility === 'hidden' ? 'visibility:hidden' : ''
        }`;
      }
      for (const [key, img] of shown)
        if (!keep.has(key)) {
          img.remove();
          shown.delete(key);
        }
    },
    dispose() {
      layer?.remove();
      layer = undefined;
      shown.clear();
    },
  };
}
