import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

let chart: echarts.ECharts | undefined;

/** Horizontal bars: the share of communities and of residents covered per 区/街道 for the chosen type. */
export function drawCoverageChart(
  el: HTMLElement,
  rows: { name: string; communityShare: number | null; demandShare: number | null }[],
  labels: { communities: string; residents: string },
): void {
  chart ??= echarts.init(el, undefined, { renderer: 'canvas' });
  const pct = (v: number | null) => (v === null ? 0 : Math.round(v * 1000) / 10);
  chart.setOption(
    {
      animation: false,
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${String(v)}%` },
      // Two bars per row (communities, residents): the legend says which is which.
      legend: { top: 0, data: [labels.communities, labels.residents] },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true },
      series: [
        {
          name: labels.communities,
          type: 'bar',
          data: rows.map((r) => pct(r.communityShare)),
          color: '#1a9850',
        },
        { name: labels.residents, type: 'bar', data: rows.map((r) => pct(r.demandShare)), color: '#4575b4' },
      ],
    },
    true,
  );
  chart.resize();
}

export function resizeChart(): void {
  chart?.resize();
}
