import { useEffect, useRef } from 'preact/hooks';
import uPlot, { type AlignedData } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { num } from '../format.js';
import { frameIndexAt, type Marker } from '../timeline.js';

export interface PlotSeries {
  label: string;
  stroke: string;
  /** Drawn as steps (success 0/1) rather than a line. */
  stepped?: boolean;
}

interface PlotProps {
  title: string;
  data: AlignedData;
  series: PlotSeries[];
  step: number;
  markers: Marker[];
  onScrub(step: number): void;
  testId: string;
}

const MARKER_COLOURS: Record<Marker['kind'], string> = { success: '#1a7f37', terminated: '#6639ba', truncated: '#9a6700', error: '#cf222e' };

/** Vertical lines at the markers, under the series. */
const markerHook = (markers: Marker[]) => (u: uPlot) => {
  const ctx = u.ctx;
  ctx.save();
  ctx.setLineDash([4, 3]);
  ctx.lineWidth = 1;
  for (const m of markers) {
    const x = Math.round(u.valToPos(m.step, 'x', true));
    ctx.strokeStyle = MARKER_COLOURS[m.kind];
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
  }
  ctx.restore();
};

/**
 * One uPlot chart of the episode against the step. Every chart of the viewer shows the same cursor: the viewer's
 * step, drawn as a line over the plot (not uPlot's hover cursor, which follows the mouse); clicking or dragging on
 * a chart scrubs to the step under the pointer.
 */
export const Plot = ({ title, data, series, step, markers, onScrub, testId }: PlotProps) => {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const cursor = useRef<HTMLDivElement | undefined>(undefined);
  const scrub = useRef(onScrub);
  scrub.current = onScrub;

  useEffect(() => {
    const el = host.current!;
    const u = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 150,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: { x: { time: false } },
        axes: [{ stroke: '#57606a' }, { stroke: '#57606a', size: 56 }],
        series: [
          { label: 'step' },
          ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 1.5, ...(s.stepped && { paths: uPlot.paths.stepped!({ align: 1 }) }) })),
        ],
        hooks: { drawClear: [markerHook(markers)] },
      },
      data,
      el,
    );
    const line = document.createElement('div');
    line.className = 'step-cursor';
    u.over.appendChild(line);
    cursor.current = line;
    let dragging = false;
    const at = (event: PointerEvent) => scrub.current(Math.round(u.posToVal(event.clientX - u.over.getBoundingClientRect().left, 'x')));
    u.over.addEventListener('pointerdown', (e) => {
      dragging = true;
      at(e);
    });
    u.over.addEventListener('pointermove', (e) => dragging && at(e));
    window.addEventListener('pointerup', () => (dragging = false));
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(240, el.clientWidth), height: 150 }));
    resize.observe(el);
    plot.current = u;
    return () => {
      resize.disconnect();
      u.destroy();
    };
  }, [data, series, markers]);

  useEffect(() => {
    const u = plot.current;
    if (u && cursor.current) cursor.current.style.left = `${u.valToPos(step, 'x')}px`;
  });

  const xs = data[0] as number[];
  const row = xs.length > 0 && step >= xs[0]! ? frameIndexAt(xs, step) : -1;
  return (
    <figure class="plot" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={`${title} by step`} />
      <ul class="legend plain" aria-label={`${title} at step ${step}`}>
        {series.map((s, i) => {
          const value = row < 0 ? null : (data[i + 1]![row] ?? null);
          return (
            <li key={s.label}>
              <span class="swatch" style={{ background: s.stroke }} /> {s.label}: <span data-testid="legend-value">{num(value, 4)}</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
};
