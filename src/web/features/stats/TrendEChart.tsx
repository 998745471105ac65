import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export type TrendSeries = { name: string; kind: 'bar' | 'line'; colour: string; values: number[] };

/**
 * The trend drawn by ECharts (its own chunk: only the charts and parts used here, drawn as SVG so it
 * prints sharp). The text alternative is the caller's: this picture is hidden from screen readers.
 */
export default function TrendEChart({ labels, series }: { labels: string[]; series: TrendSeries[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: 'svg' });
    // The page's own font, named: ECharts measures labels with it, and 'inherit' would measure another.
    const fontFamily = getComputedStyle(el).fontFamily;
    chart.setOption({
      animation: false,
      textStyle: { fontFamily, color: '#212529' },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: { fontFamily, color: '#212529' } },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels, axisLabel: { color: '#343a40' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#343a40' } },
      series: series.map((s) => ({
        name: s.name,
        type: s.kind,
        data: s.values,
        itemStyle: { color: s.colour },
        lineStyle: { color: s.colour, width: 3 },
        symbolSize: 7,
        ...(s.kind === 'bar' ? { stack: 'received', barMaxWidth: 32 } : {}),
      })),
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    // A page printed at another width redraws at that width.
    const onPrint = () => chart.resize();
    window.addEventListener('beforeprint', onPrint);
    return () => {
      window.removeEventListener('beforeprint', onPrint);
      observer.disconnect();
      chart.dispose();
    };
  }, [labels, series]);
  return <div ref={ref} style={{ width: '100%', height: 300 }} aria-hidden="true" />;
}
