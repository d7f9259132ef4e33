import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

export interface BarSeries {
  name: string;
  /** Shares 0..1 (null: no figure), drawn as percent. */
  values: (number | null)[];
  colour: string;
}

export interface BarChartSpec {
  title: string;
  categories: string[];
  series: BarSeries[];
  width?: number;
}

const FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif";

/**
 * A horizontal bar chart of shares (0–100 %) as SVG, rendered by ECharts on the server (`ssr: true`, no DOM):
 * one bar per category and series, the legend naming each series, no animation (a printed page).
 */
export function barChartSvg(spec: BarChartSpec): string {
  const width = spec.width ?? 760;
  const height = Math.max(200, 90 + spec.categories.length * (14 + 12 * spec.series.length));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT },
      title: { text: spec.title, left: 'center', top: 4, textStyle: { fontSize: 14, fontFamily: FONT } },
      legend: { top: 28, data: spec.series.map((s) => s.name), textStyle: { fontFamily: FONT } },
      // Room for the category names set aside, not measured: on the server ECharts estimates text widths and
      // underestimates Latin text (a long English type name came out cut by the left edge). Names are truncated at
      // 180 estimated pixels, which the 240 px margin holds however the font draws them.
      grid: { left: 240, right: 48, top: 60, bottom: 16, outerBoundsMode: 'none' },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: {
        type: 'category',
        data: spec.categories,
        inverse: true,
        axisLabel: { width: 180, overflow: 'truncate' },
      },
      series: spec.series.map((s) => ({
        name: s.name,
        type: 'bar',
        itemStyle: { color: s.colour },
        label: { show: true, position: 'right', formatter: '{c}%', fontSize: 10 },
        data: s.values.map((v) => (v === null ? null : Math.round(v * 1000) / 10)),
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
