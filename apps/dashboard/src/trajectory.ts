/** One step of an episode as the viewer plots it, from the trajectory object or from the event's sampled steps. */
export interface TimelineStep {
  step: number;
  reward: number;
  success: boolean;
  terminated: boolean;
  truncated: boolean;
  action: number[];
  /** The environment replaced a NaN or infinite action value at this step (docs/formats.md, info.action.nonFinite). */
  nonFinite: boolean;
}

export interface TrajectoryHeader {
  format: 'kinitro.trajectory';
  version: 1;
  env: string;
  task: string;
  seed: number;
  episodeIndex: number;
  maxSteps: number;
}

export interface Trajectory {
  header: TrajectoryHeader;
  steps: TimelineStep[];
}

/** NaN and the infinities are written as strings (docs/formats.md, "Numbers are exact"). */
const numberOf = (value: unknown): number => (typeof value === 'number' ? value : Number(value));

const actionOf = (value: unknown): number[] => (Array.isArray(value) ? value.map(numberOf) : [numberOf(value)]);

export class TrajectoryFormatError extends Error {
  override readonly name = 'TrajectoryFormatError';
}

/** The NDJSON text of a trajectory (after gunzip): the header line, then one line per step. */
export const parseTrajectory = (text: string): Trajectory => {
  const lines = text.split('\n').filter((line) => line.length > 0);
  if (lines.length === 0) throw new TrajectoryFormatError('empty trajectory');
  const header = JSON.parse(lines[0]!) as TrajectoryHeader;
  if (header.format !== 'kinitro.trajectory' || header.version !== 1) {
    throw new TrajectoryFormatError(`line 1: not a kinitro.trajectory version 1 header (format ${String(header.format)}, version ${String(header.version)})`);
  }
  const steps = lines.slice(1).map((line, i): TimelineStep => {
    const o = JSON.parse(line) as Record<string, any>;
    if (o.step !== i + 1) throw new TrajectoryFormatError(`line ${i + 2}: step is ${String(o.step)}, expected ${i + 1}`);
    return {
      step: o.step,
      reward: numberOf(o.reward),
      success: o.info?.success === true,
      terminated: o.terminated === true,
      truncated: o.truncated === true,
      action: actionOf(o.action),
      nonFinite: Boolean(o.info?.action?.nonFinite),
    };
  });
  return { header, steps };
};

const GZIP_MAGIC = [0x1f, 0x8b];

/** The bytes of the trajectory object: gunzipped here unless a proxy already decoded them. */
export const trajectoryText = async (bytes: ArrayBuffer): Promise<string> => {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
};

/** The API's sampled steps (`GET /episodes/:id/steps`): what the viewer plots when there is no trajectory. */
export interface SampledStep {
  step: number;
  reward: number;
  success: boolean;
  action: number[];
  terminated: boolean | null;
  truncated: boolean | null;
}

export const fromSampledSteps = (steps: SampledStep[]): TimelineStep[] =>
  steps.map((s) => ({
    step: s.step,
    reward: s.reward,
    success: s.success,
    terminated: s.terminated === true,
    truncated: s.truncated === true,
    action: s.action,
    nonFinite: false,
  }));
