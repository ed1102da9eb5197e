import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

/**
 * The county dashboard's two charts, drawn with ECharts on a canvas: towns side by side for one metric
 * (horizontal bars, largest first, a click picks the town) and one metric over the periods (a line for
 * the county, or for each town). The dashboard loads this module on demand, so the rest of the web app
 * does not carry ECharts' bar and line code.
 */
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

const PRIMARY = '#0a5fa8';
const HIGHLIGHT = '#d97706';
/** Line colours for towns, distinguishable and printable in grey. */
const PALETTE = ['#0a5fa8', '#d97706', '#2f855a', '#9b2c9b', '#c53030', '#2c7a7b', '#6b46c1', '#975a16', '#2b6cb0', '#718096'];

const numberText = (v: unknown) => (typeof v === 'number' ? v.toLocaleString() : '—');

function follow(el: HTMLElement, chart: EChartsType) {
  const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => chart.resize());
  observer?.observe(el);
  return () => observer?.disconnect();
}

export type Bar = { townId: string; name: string; value: number | null };

/** Towns side by side for one metric; `onpick` gets the town id of a clicked bar. */
export function drawTownBars(el: HTMLElement, onpick: (townId: string) => void) {
  const chart = init(el, undefined, { renderer: 'canvas' });
  const unfollow = follow(el, chart);
  let ids: string[] = [];
  chart.on('click', (p) => {
    const id = ids[p.dataIndex ?? -1];
    if (id) onpick(id);
  });
  return {
    update(bars: Bar[], selected: string | null, seriesName: string) {
      // Largest at the top: ECharts draws a category axis bottom-up, so sort ascending.
      const sorted = [...bars].sort((a, b) => (a.value ?? -1) - (b.value ?? -1));
      ids = sorted.map((b) => b.townId);
      const option: Option = {
        animation: false,
        grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: 'item', confine: true, valueFormatter: numberText },
        xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => v.toLocaleString() } },
        yAxis: { type: 'category', data: sorted.map((b) => b.name), axisTick: { show: false } },
        series: [
          {
            type: 'bar',
            name: seriesName,
            barMaxWidth: 22,
            cursor: 'pointer',
            label: { show: true, position: 'right', formatter: (p: { value: unknown }) => numberText(p.value) },
            data: sorted.map((b) => ({
              value: b.value,
              itemStyle: { color: selected && b.townId === selected ? HIGHLIGHT : PRIMARY },
            })),
          },
        ],
      };
      chart.setOption(option, { notMerge: true });
    },
    dispose() {
      unfollow();
      chart.dispose();
    },
  };
}

export type Line = { name: string; values: Array<number | null>; emphasis?: boolean };

/** One metric over the periods: a line per series; gaps where a period was never rolled up. */
export function drawTrend(el: HTMLElement) {
  const chart = init(el, undefined, { renderer: 'canvas' });
  const unfollow = follow(el, chart);
  return {
    update(periods: string[], lines: Line[]) {
      const option: Option = {
        animation: false,
        color: PALETTE,
        grid: { left: 8, right: 16, top: lines.length > 1 ? 56 : 16, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', confine: true, valueFormatter: numberText },
        legend: lines.length > 1 ? { type: 'scroll', top: 0, data: lines.map((l) => l.name) } : { show: false },
        xAxis: { type: 'category', data: periods, boundaryGap: false },
        yAxis: { type: 'value', minInterval: 1, scale: true, axisLabel: { formatter: (v: number) => v.toLocaleString() } },
        series: lines.map((l) => ({
          type: 'line',
          name: l.name,
          data: l.values,
          connectNulls: false,
          showSymbol: true,
          symbolSize: l.emphasis ? 8 : 5,
          lineStyle: { width: l.emphasis ? 3 : 1.5 },
          z: l.emphasis ? 3 : 2,
        })),
      };
      chart.setOption(option, { notMerge: true });
    },
    dispose() {
      unfollow();
      chart.dispose();
    },
  };
}

export type TownBars = ReturnType<typeof drawTownBars>;
export type TrendChart = ReturnType<typeof drawTrend>;
