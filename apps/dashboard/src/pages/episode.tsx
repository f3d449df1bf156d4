import { useEffect, useMemo, useState } from 'preact/hooks';
import uPlot, { type AlignedData } from 'uplot';
import { API, getJson, type Episode, type Page } from '../api.js';
import { Camera } from '../components/camera.js';
import { Plot, type PlotSeries } from '../components/plot.js';
import { Loaded } from '../components/status.js';
import { num, short } from '../format.js';
import { navigate } from '../router.js';
import { clampStep, markersOf, PLAYBACK_SPEEDS, PLAYBACK_STEPS_PER_SECOND, rowAt, seriesOf, type Marker, type Series } from '../timeline.js';
import { fromSampledSteps, parseTrajectory, trajectoryText, type SampledStep, type TimelineStep } from '../trajectory.js';
import { useResource } from '../use-resource.js';

interface ViewedEpisode {
  episode: Episode;
  timeline: TimelineStep[];
  source: 'trajectory' | 'sampled steps';
  series: Series;
  markers: Marker[];
}

const trajectoryPath = (id: string) => `${API}/episodes/${id}/trajectory`;

const sampledSteps = async (id: string): Promise<SampledStep[]> => {
  const steps: SampledStep[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await getJson<Page<SampledStep>>(`/episodes/${id}/steps?limit=200&offset=${offset}`);
    steps.push(...page.items);
    if (page.items.length === 0 || steps.length >= page.total) return steps;
  }
};

/** The episode and every step of it: from the trajectory object when there is one, else the event's sampled steps. */
const viewEpisode = async (id: string): Promise<ViewedEpisode> => {
  const episode = await getJson<Episode>(`/episodes/${id}`);
  let timeline: TimelineStep[];
  let source: ViewedEpisode['source'] = 'trajectory';
  if (episode.trajectoryUrl) {
    const response = await fetch(trajectoryPath(id));
    if (!response.ok) throw new Error(`trajectory of ${id}: ${response.status}`);
    timeline = parseTrajectory(await trajectoryText(await response.arrayBuffer())).steps;
  } else {
    timeline = fromSampledSteps(await sampledSteps(id));
    source = 'sampled steps';
  }
  return { episode, timeline, source, series: seriesOf(timeline), markers: markersOf(timeline) };
};

interface Neighbours {
  previous: string | null;
  next: string | null;
  sameSeed: { id: string; validator: string; jobId: string; success: boolean }[];
}

/** Episodes of the same evaluation in plan order (task, then index), and episodes of other runs with the same task and seed. */
const neighboursOf = async (episode: Episode): Promise<Neighbours> => {
  const [siblings, sameTask] = await Promise.all([
    getJson<Page<Episode>>(`/episodes?evaluation=${episode.evaluationId}&limit=200`),
    getJson<Page<Episode>>(`/episodes?task=${encodeURIComponent(episode.task)}&limit=200`),
  ]);
  const ordered = siblings.items.sort((a, b) => a.task.localeCompare(b.task) || a.episodeIndex - b.episodeIndex);
  const at = ordered.findIndex((e) => e.id === episode.id);
  return {
    previous: at > 0 ? ordered[at - 1]!.id : null,
    next: at >= 0 && at < ordered.length - 1 ? ordered[at + 1]!.id : null,
    sameSeed: sameTask.items
      .filter((e) => e.seed === episode.seed && e.id !== episode.id)
      .map((e) => ({ id: e.id, validator: e.validator, jobId: e.jobId, success: e.success })),
  };
};

const href = (id: string, step: number, compare?: string | null) => `/episodes/${id}?step=${step}${compare ? `&compare=${compare}` : ''}`;

const COLOURS = { a: '#0969da', b: '#bf3989' };
const ACTION_COLOURS = ['#0969da', '#1a7f37', '#9a6700', '#cf222e', '#8250df', '#1b7c83', '#bc4c00', '#57606a'];

/** Columns of two episodes on one x axis (the union of their steps), for one chart. */
const aligned = (a: Series, pick: (s: Series) => number[], b?: Series): AlignedData =>
  b
    ? uPlot.join([
        [a.steps, pick(a)],
        [b.steps, pick(b)],
      ])
    : [a.steps, pick(a)];

const Readout = ({ view, step, label }: { view: ViewedEpisode; step: number; label: string }) => {
  const row = rowAt(view.series, step);
  const s = view.series;
  return (
    <dl class="readout" data-testid={`readout-${label}`} aria-live="polite">
      <dt>Step</dt>
      <dd data-testid="readout-step">{row < 0 ? `${step} (reset)` : s.steps[row]}</dd>
      <dt>Reward</dt>
      <dd data-testid="readout-reward">{row < 0 ? '—' : String(s.reward[row])}</dd>
      <dt>Cumulative</dt>
      <dd data-testid="readout-cumulative">{row < 0 ? '—' : num(s.cumulative[row], 4)}</dd>
      <dt>Success</dt>
      <dd data-testid="readout-success">{row < 0 ? '—' : s.success[row] ? 'yes' : 'no'}</dd>
      <dt>Action</dt>
      <dd data-testid="readout-action">{row < 0 ? '—' : `[${s.actions.map((d) => num(d[row], 3)).join(', ')}]`}</dd>
    </dl>
  );
};

interface ControlsProps {
  step: number;
  last: number;
  frameSteps: number[];
  setStep(s: number): void;
  /** ↑ and ↓ open the previous and next episode (as LeRobot's visualiser does); null at either end. */
  episodeHref: { previous: string | null; next: string | null };
}

const Controls = ({ step, last, frameSteps, setStep, episodeHref }: ControlsProps) => {
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    let previous = performance.now();
    let carried = 0;
    const tick = (now: number) => {
      carried += ((now - previous) / 1000) * PLAYBACK_STEPS_PER_SECOND * speed;
      previous = now;
      const whole = Math.floor(carried);
      carried -= whole;
      if (whole > 0) setStep(Math.min(last, step + whole));
      if (step + whole >= last) return setPlaying(false);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, step, last]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as Element).closest('input, select, textarea, button')) return;
      if (e.key === 'ArrowRight') setStep(step + (e.shiftKey ? 10 : 1));
      else if (e.key === 'ArrowLeft') setStep(step - (e.shiftKey ? 10 : 1));
      else if (e.key === ' ') setPlaying((p) => !p);
      else if (e.key === 'Home') setStep(0);
      else if (e.key === 'End') setStep(last);
      else if (e.key === 'ArrowUp' && episodeHref.previous) navigate(episodeHref.previous);
      else if (e.key === 'ArrowDown' && episodeHref.next) navigate(episodeHref.next);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step, last, episodeHref]);

  const previousFrame = [...frameSteps].reverse().find((s) => s < step);
  const nextFrame = frameSteps.find((s) => s > step);
  return (
    <div class="controls">
      <button type="button" onClick={() => setPlaying(!playing)} data-testid="play">
        {playing ? 'Pause' : 'Play'}
      </button>
      <label>
        Speed{' '}
        <select value={speed} onChange={(e) => setSpeed(Number((e.target as HTMLSelectElement).value))} data-testid="speed">
          {PLAYBACK_SPEEDS.map((s) => (
            <option value={s}>{s}×</option>
          ))}
        </select>
      </label>
      <button type="button" disabled={previousFrame === undefined} onClick={() => setStep(previousFrame!)} aria-label="Previous frame">
        « frame
      </button>
      <button type="button" disabled={step <= 0} onClick={() => setStep(step - 1)} aria-label="Previous step">
        ‹ step
      </button>
      <input
        type="range"
        min={0}
        max={last}
        value={step}
        aria-label="Step"
        data-testid="scrubber"
        onInput={(e) => setStep(Number((e.target as HTMLInputElement).value))}
      />
      <button type="button" disabled={step >= last} onClick={() => setStep(step + 1)} aria-label="Next step">
        step ›
      </button>
      <button type="button" disabled={nextFrame === undefined} onClick={() => setStep(nextFrame!)} aria-label="Next frame">
        frame »
      </button>
      <output data-testid="step-of">
        step {step} / {last}
      </output>
      <p class="muted keys">
        <kbd>Space</kbd> play/pause · <kbd>←</kbd>/<kbd>→</kbd> step (<kbd>Shift</kbd> 10) · <kbd>Home</kbd>/<kbd>End</kbd> · <kbd>↑</kbd>/<kbd>↓</kbd>{' '}
        previous/next episode
      </p>
    </div>
  );
};

const Charts = ({ a, b, step, setStep }: { a: ViewedEpisode; b?: ViewedEpisode; step: number; setStep(s: number): void }) => {
  const charts = useMemo(() => {
    const pair = (label: string, stepped = false): PlotSeries[] => [
      { label: `${label} (A)`, stroke: COLOURS.a, stepped },
      ...(b ? [{ label: `${label} (B)`, stroke: COLOURS.b, stepped }] : []),
    ];
    const actions = (s: Series, label: string) => ({
      id: `action-${label.toLowerCase()}`,
      title: `Action (${s.actions.length} dimensions, ${label})`,
      data: [s.steps, ...s.actions] as AlignedData,
      series: s.actions.map((_, d) => ({ label: `action[${d}]`, stroke: ACTION_COLOURS[d % ACTION_COLOURS.length]! })),
    });
    return [
      { id: 'reward', title: 'Reward', data: aligned(a.series, (s) => s.reward, b?.series), series: pair('reward') },
      { id: 'cumulative', title: 'Cumulative reward', data: aligned(a.series, (s) => s.cumulative, b?.series), series: pair('cumulative') },
      { id: 'success', title: 'Success', data: aligned(a.series, (s) => s.success, b?.series), series: pair('success', true) },
      actions(a.series, 'A'),
      ...(b ? [actions(b.series, 'B')] : []),
    ];
  }, [a, b]);
  return (
    <div class="charts">
      {charts.map((c) => (
        <Plot key={c.id} testId={`plot-${c.id}`} title={c.title} data={c.data} series={c.series} step={step} markers={a.markers} onScrub={setStep} />
      ))}
    </div>
  );
};

const MarkerList = ({ markers, setStep }: { markers: Marker[]; setStep(s: number): void }) =>
  markers.length === 0 ? null : (
    <ul class="markers plain" aria-label="Markers">
      {markers.slice(0, 50).map((m) => (
        <li key={`${m.kind}-${m.step}`}>
          <button type="button" class={`marker marker-${m.kind}`} onClick={() => setStep(m.step)}>
            {m.label}
          </button>
        </li>
      ))}
    </ul>
  );

const Cameras = ({ view, step, label }: { view: ViewedEpisode; step: number; label: string }) => (
  <section aria-label={`Cameras of episode ${label}`} class="cameras">
    {view.episode.frames.length === 0 ? (
      <p class="muted">No frames (this benchmark has no camera).</p>
    ) : (
      view.episode.frames.map((f) => <Camera key={f.camera} frames={f} step={step} />)
    )}
  </section>
);

const Title = ({ view, label }: { view: ViewedEpisode; label: string }) => {
  const e = view.episode;
  return (
    <p class={`episode-title episode-${label.toLowerCase()}`}>
      <strong>{label}</strong> {e.task} #{e.episodeIndex} · seed {e.seed} · validator <span title={e.validator}>{short(e.validator)}</span> · {e.steps} steps ·
      reward {num(e.totalReward)} · {e.success ? 'success' : 'no success'}
      {e.terminated ? ' · terminated' : ''}
      {e.truncated ? ' · truncated' : ''} · plotted from the {view.source}
      {' · '}
      <a href={trajectoryPath(e.id)} download={`trajectory-${e.id}.ndjson.gz`}>
        download trajectory
      </a>
      {' · '}
      <a href={`/episodes?evaluation=${e.evaluationId}`}>episodes of this evaluation</a>
      {' · '}
      <a href={`/events/episode/${e.id}`}>events</a>
    </p>
  );
};

const Viewer = ({ a, b, initialStep, compare }: { a: ViewedEpisode; b?: ViewedEpisode; initialStep: number; compare: string | null }) => {
  const last = Math.max(a.timeline.at(-1)?.step ?? a.episode.steps, b?.timeline.at(-1)?.step ?? 0);
  const [step, setRawStep] = useState(clampStep(initialStep, last));
  const setStep = (s: number) => setRawStep(clampStep(s, last));
  const neighbours = useResource(() => neighboursOf(a.episode), [a.episode.id]);
  // The address always names this step, so it can be copied as a deep link (replaceState: no history entry per step).
  useEffect(() => {
    const timer = setTimeout(() => history.replaceState(null, '', href(a.episode.id, step, compare)), 150);
    return () => clearTimeout(timer);
  }, [step]);
  const frameSteps = [...new Set(a.episode.frames.flatMap((f) => f.steps))].sort((x, y) => x - y);
  const episodeHref = useMemo(() => {
    const n = neighbours.state === 'ready' ? neighbours.value : null;
    return { previous: n?.previous ? href(n.previous, 0) : null, next: n?.next ? href(n.next, 0) : null };
  }, [neighbours]);
  return (
    <>
      <h1>Episode viewer</h1>
      <Title view={a} label="A" />
      {b && <Title view={b} label="B" />}
      <nav aria-label="Other episodes" class="episode-nav">
        <Loaded resource={neighbours}>
          {(n) => (
            <>
              {n.previous ? <a href={href(n.previous, 0)}>← previous episode</a> : <span class="muted">first episode</span>}
              {' · '}
              {n.next ? <a href={href(n.next, 0)}>next episode →</a> : <span class="muted">last episode</span>}
              {' · '}
              <label>
                Compare with the same seed{' '}
                <select
                  data-testid="compare"
                  value={compare ?? ''}
                  onChange={(e) => navigate(href(a.episode.id, step, (e.target as HTMLSelectElement).value || null))}
                >
                  <option value="">— none —</option>
                  {n.sameSeed.map((o) => (
                    <option value={o.id}>
                      {short(o.id)} (validator {short(o.validator)}, {o.success ? 'success' : 'no success'})
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
        </Loaded>
      </nav>
      <div class={b ? 'side-by-side' : ''}>
        <div>
          <Cameras view={a} step={step} label="A" />
          <Readout view={a} step={step} label="a" />
        </div>
        {b && (
          <div>
            <Cameras view={b} step={step} label="B" />
            <Readout view={b} step={step} label="b" />
          </div>
        )}
      </div>
      <Controls step={step} last={last} frameSteps={frameSteps} setStep={setStep} episodeHref={episodeHref} />
      <MarkerList markers={a.markers} setStep={setStep} />
      <Charts a={a} b={b} step={step} setStep={setStep} />
    </>
  );
};

export const EpisodePage = ({ id, step, compare }: { id: string; step: number; compare: string | null }) => {
  const views = useResource(() => Promise.all([viewEpisode(id), compare ? viewEpisode(compare) : Promise.resolve(undefined)]), [id, compare]);
  return <Loaded resource={views}>{([a, b]) => <Viewer key={`${id}/${compare}`} a={a} b={b} initialStep={step} compare={compare} />}</Loaded>;
};
