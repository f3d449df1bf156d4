import { useEffect, useRef } from 'preact/hooks';
import uPlot, { type AlignedData } from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Colours that keep 3:1 against the page's white (WCAG non-text contrast), cycled for many series. */
export const PALETTE = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#9a6700', '#bc4c00', '#1b7c83', '#57606a'];

interface SeriesChartProps {
  title: string;
  xLabel: string;
  data: AlignedData;
  labels: string[];
  testId: string;
}

/**
 * A uPlot chart of several series over one numeric x (not time), drawn as steps: a value holds until the next one
 * (a weight set stays on chain until the next set). The table next to it carries the numbers.
 */
export const SeriesChart = ({ title, xLabel, data, labels, testId }: SeriesChartProps) => {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current!;
    const u = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 220,
        scales: { x: { time: false }, y: { range: [0, 1] } },
        axes: [
          { stroke: '#57606a', label: xLabel },
          { stroke: '#57606a', size: 56 },
        ],
        series: [
          { label: xLabel },
          ...labels.map((label, i) => ({
            label,
            stroke: PALETTE[i % PALETTE.length]!,
            width: 1.5,
            points: { show: true },
            paths: uPlot.paths.stepped!({ align: 1 }),
          })),
        ],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(240, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
    };
  }, [data, labels]);
  return (
    <figure class="plot" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={`${title} by ${xLabel}`} />
    </figure>
  );
};
