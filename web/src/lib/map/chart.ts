import { MapChart, type MapSeriesOption } from 'echarts/charts';
import { TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import { type ComposeOption, type EChartsType, init, registerMap, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { Boundary } from '@gridline/domain';

/**
 * The grid boundary map, drawn from the grids' own GeoJSON with ECharts on a canvas: no tile server,
 * no requests of its own. Only the parts used are pulled in (map series, tooltip, canvas renderer),
 * and the population page loads this module only when some grid has a boundary.
 *
 * A deployment may add a background of map tiles (lib/map/tiles.ts, loaded only then): it comes in as
 * a `Backdrop`, whose projection lays the boundaries out as its tiles are drawn, and which is redrawn
 * under the transparent canvas after every layout, pan, zoom and resize. The map may then be panned and
 * zoomed, and the grids are filled translucently so that the map shows through.
 */
use([MapChart, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<MapSeriesOption | TooltipComponentOption>;

export type MapArea = {
  gridId: string;
  name: string;
  boundary: Boundary;
  color: string;
  /** Text colour that reads on `color`. */
  ink: string;
  /** Lines for the tooltip, plain text (escaped here). */
  lines: string[];
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * Something drawn under the chart, in step with it (lib/map/tiles.ts). `projection` maps [lon, lat] to
 * a plane whose y grows downwards, and back; `draw` gets a function from that plane to the chart's
 * pixels, and the chart's size.
 */
export type Backdrop = {
  projection: { project(p: number[]): number[]; unproject(p: number[]): number[] };
  draw(el: HTMLElement, toPixel: (p: number[]) => number[] | undefined, width: number, height: number): void;
  dispose(): void;
};

/** A `#rrggbb` colour with some transparency, so the tiles under a grid stay readable. */
const translucent = (hex: string, alpha: number) => {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m
    ? `rgba(${m
        .slice(1, 4)
        .map((h) => Number.parseInt(h, 16))
        .join(', ')}, ${alpha})`
    : hex;
};

let counter = 0;

/** Mean latitude of the boundaries' points: east-west degrees shrink by its cosine. */
function meanLatitude(areas: MapArea[]): number {
  let sum = 0;
  let n = 0;
  for (const a of areas) {
    const polygons = a.boundary.type === 'Polygon' ? [a.boundary.coordinates] : a.boundary.coordinates;
    for (const ring of polygons.flat())
      for (const [, lat] of ring) {
        sum += lat;
        n += 1;
      }
  }
  return n ? sum / n : 0;
}

export function drawGridMap(el: HTMLElement, onpick: (gridId: string) => void, backdrop?: Backdrop) {
  const chart: EChartsType = init(el, undefined, { renderer: 'canvas' });
  const mapName = `gridline-grids-${++counter}`;
  let byId = new Map<string, MapArea>();

  chart.on('click', (params) => {
    const id = typeof params.name === 'string' ? params.name : '';
    if (byId.has(id)) onpick(id);
  });

  const redraw = () => {
    if (!backdrop || byId.size === 0) return;
    const toPixel = (p: number[]) => {
      const px: unknown = chart.convertToPixel({ seriesIndex: 0 }, backdrop.projection.unproject(p));
      return Array.isArray(px) && px.every(Number.isFinite) ? (px as number[]) : undefined;
    };
    backdrop.draw(el, toPixel, chart.getWidth(), chart.getHeight());
  };
  // Panning and zooming move the map's view at once; the tiles follow.
  if (backdrop) chart.on('georoam', redraw);

  const resize = () => {
    chart.resize();
    redraw();
  };
  const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(resize);
  observer?.observe(el);

  return {
    update(areas: MapArea[]) {
      byId = new Map(areas.map((a) => [a.gridId, a]));
      registerMap(mapName, {
        type: 'FeatureCollection',
        features: areas.map((a) => ({ type: 'Feature', properties: { name: a.gridId }, geometry: a.boundary })),
      } as unknown as Parameters<typeof registerMap>[1]);
      const option: Option = {
        animation: false,
        tooltip: {
          trigger: 'item',
          confine: true,
          formatter: (p: unknown) => {
            const a = byId.get(String((p as { name?: unknown }).name ?? ''));
            if (!a) return '';
            return `<strong>${escapeHtml(a.name)}</strong><br>${a.lines.map(escapeHtml).join('<br>')}`;
          },
        },
        series: [
          {
            type: 'map',
            map: mapName,
            selectedMode: false,
            ...(backdrop
              ? { roam: true, scaleLimit: { min: 0.25, max: 64 }, projection: backdrop.projection }
              : {
                  roam: false,
                  // Grids are small: draw them true to shape at their own latitude (ECharts assumes 0.75).
                  aspectScale: Math.cos((meanLatitude(areas) * Math.PI) / 180),
                }),
            layoutCenter: ['50%', '50%'],
            layoutSize: '92%',
            label: {
              show: true,
              formatter: (p: { name: string }) => byId.get(p.name)?.name ?? '',
              color: '#1d2733',
              fontSize: 13,
              fontWeight: 600,
              textBorderColor: 'rgba(255,255,255,0.85)',
              textBorderWidth: 3,
            },
            itemStyle: { borderColor: '#0a3a63', borderWidth: 1.5, areaColor: '#eef1f4' },
            emphasis: {
              label: { show: true, color: '#0a3a63' },
              itemStyle: { borderColor: '#0a3a63', borderWidth: 3 },
            },
            data: areas.map((a) => ({
              name: a.gridId,
              value: 1,
              itemStyle: { areaColor: backdrop ? translucent(a.color, 0.6) : a.color },
              emphasis: { itemStyle: { areaColor: backdrop ? translucent(a.color, 0.75) : a.color } },
            })),
          },
        ],
      };
      chart.setOption(option, { notMerge: true });
      redraw();
    },
    dispose() {
      observer?.disconnect();
      chart.dispose();
      backdrop?.dispose();
    },
  };
}

export type GridMap = ReturnType<typeof drawGridMap>;
