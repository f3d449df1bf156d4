import type { TimelineStep } from './trajectory.js';

/**
 * The frame a camera shows at `step`: the last one rendered at or before it (frames are rendered at step 0, every
 * N steps and at the last step, so between two frames the earlier one is the state on screen).
 */
export const frameIndexAt = (frameSteps: readonly number[], step: number): number => {
  let low = 0;
  let high = frameSteps.length - 1;
  let found = 0;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (frameSteps[mid]! <= step) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
};

/** Where frame `index` sits on a sprite sheet of `columns` columns (docs/formats.md, "Frames"). */
export const spriteOffset = (index: number, layout: { columns: number; frameWidth: number; frameHeight: number }): { x: number; y: number } => ({
  x: -(index % layout.columns) * layout.frameWidth,
  y: -Math.floor(index / layout.columns) * layout.frameHeight,
});

export type MarkerKind = 'success' | 'terminated' | 'truncated' | 'error';

export interface Marker {
  kind: MarkerKind;
  step: number;
  label: string;
}

/** First success, the termination or truncation that ended the episode, and every step with a non-finite action. */
export const markersOf = (steps: readonly TimelineStep[]): Marker[] => {
  const markers: Marker[] = [];
  const firstSuccess = steps.find((s) => s.success);
  if (firstSuccess) markers.push({ kind: 'success', step: firstSuccess.step, label: `first success at step ${firstSuccess.step}` });
  for (const s of steps) {
    if (s.nonFinite) markers.push({ kind: 'error', step: s.step, label: `non-finite action at step ${s.step}` });
    if (s.terminated) markers.push({ kind: 'terminated', step: s.step, label: `terminated at step ${s.step}` });
    if (s.truncated) markers.push({ kind: 'truncated', step: s.step, label: `truncated at step ${s.step}` });
  }
  return markers.sort((a, b) => a.step - b.step);
};

/** Columns for the plots: x = step, then reward, cumulative reward, success (0/1) and one column per action value. */
export interface Series {
  steps: number[];
  reward: number[];
  cumulative: number[];
  success: number[];
  actions: number[][];
}

export const seriesOf = (steps: readonly TimelineStep[]): Series => {
  const dims = steps.reduce((n, s) => Math.max(n, s.action.length), 0);
  let total = 0;
  return {
    steps: steps.map((s) => s.step),
    reward: steps.map((s) => s.reward),
    cumulative: steps.map((s) => (total += s.reward)),
    success: steps.map((s) => (s.success ? 1 : 0)),
    actions: Array.from({ length: dims }, (_, d) => steps.map((s) => s.action[d] ?? Number.NaN)),
  };
};

/**
 * The row of the series at `step`: the last sampled step at or before it; -1 before the first action (step 0 is the
 * reset, which has no reward or action).
 */
export const rowAt = (series: Series, step: number): number => {
  if (series.steps.length === 0 || step < series.steps[0]!) return -1;
  return frameIndexAt(series.steps, step);
};

/** Speeds the viewer plays at, as multiples of PLAYBACK_STEPS_PER_SECOND. */
export const PLAYBACK_SPEEDS = [0.5, 1, 2, 4] as const;
/** One step per frame of a 20 Hz control loop: MetaWorld's and most control tasks' rate. */
export const PLAYBACK_STEPS_PER_SECOND = 20;

export const clampStep = (step: number, last: number): number => Math.min(last, Math.max(0, Math.round(Number.isFinite(step) ? step : 0)));
