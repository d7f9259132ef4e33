import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** One chart per element; a re-render reuses it (ECharts keeps state per DOM node). */
function chartOn(el: HTMLElement): echarts.ECharts {
  return echarts.getInstanceByDom(el) ?? echarts.init(el, undefined, { renderer: 'canvas' });
}

export interface Series {
  name: string;
  points: { date: string; value: number | null }[];
  dashed?: boolean;
}

/** Values over time against the straight target trajectory (time axis, so uneven dates are spaced truly). */
export function drawTrajectory(el: HTMLElement, series: Series[], unit: string): void {
  const chart = chartOn(el);
  chart.setOption(
    {
      animation: false,
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: unit, scale: true },
      series: series.map((s, i) => ({
        name: s.name,
        type: 'line',
        connectNulls: true,
        showSymbol: true,
        data: s.points.filter((p) => p.value !== null).map((p) => [p.date, p.value]),
        lineStyle: s.dashed ? { type: 'dashed' } : undefined,
        color: ['#1a9850', '#4575b4', '#d73027'][i % 3],
      })),
    },
    true,
  );
  chart.resize();
}

/** The ranking as horizontal bars, best on top. */
export function drawRanking(el: HTMLElement, rows: { name: string; total: number }[], label: string): void {
  const chart = chartOn(el);
  chart.setOption(
    {
      animation: false,
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [label] },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true },
      series: [
        {
          name: label,
          type: 'bar',
          data: rows.map((r) => r.total),
          color: '#1f4e5f',
          label: { show: true, position: 'right' },
        },
      ],
    },
    true,
  );
  chart.resize();
}
