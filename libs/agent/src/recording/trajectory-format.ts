import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { cameraSpecSchema } from '#contracts';
import { NON_FINITE_NAMES } from './exact-json.js';

/** The trajectory object: gzip'd NDJSON, a header line then one line per step (docs/formats.md). */
export const TRAJECTORY_FORMAT = 'kinitro.trajectory';
export const TRAJECTORY_VERSION = 1;
/** NDJSON compressed with gzip (the `+gzip` structured-syntax suffix of RFC 8460). */
export const TRAJECTORY_CONTENT_TYPE = 'application/x-ndjson+gzip';

/** A number as exactJson writes it: a JSON number, or the name of a non-finite one. */
const exactNumber = z.union([z.number(), z.enum(NON_FINITE_NAMES).transform(Number)]);
const count = z.int().nonnegative();

const spaceSchema = z.object({
  kind: z.enum(['box', 'discrete']),
  shape: z.array(count),
  dtype: z.enum(['float32', 'float64', 'int64']),
  /** Discrete spaces only: the number of actions. */
  n: z.int().positive().optional(),
});

export const trajectoryHeaderSchema = z.object({
  format: z.literal(TRAJECTORY_FORMAT),
  version: z.literal(TRAJECTORY_VERSION),
  /** The environment's id, e.g. `reach-v3`. */
  env: z.string().min(1),
  task: z.string().min(1),
  seed: count,
  episodeIndex: count,
  observationSpace: spaceSchema,
  actionSpace: spaceSchema,
  /** The episode's step limit: the environment's, or the benchmark's when smaller. */
  maxSteps: z.int().positive(),
  camera: cameraSpecSchema.optional(),
});
export type TrajectoryHeader = z.infer<typeof trajectoryHeaderSchema>;

export const trajectoryStepSchema = z.object({
  step: z.int().positive(),
  /** The observation the agent acted on. */
  observation: z.array(exactNumber),
  /** The action the environment was given (before clipping; `info.action` says what was corrected). */
  action: z.array(exactNumber),
  reward: exactNumber,
  terminated: z.boolean(),
  truncated: z.boolean(),
  info: z.record(z.string(), z.unknown()),
  actLatencyMs: z.number().nonnegative(),
  /** Last step only: the observation the last action produced. */
  finalObservation: z.array(exactNumber).optional(),
});
export type TrajectoryStep = z.infer<typeof trajectoryStepSchema>;

export interface Trajectory {
  readonly header: TrajectoryHeader;
  readonly steps: readonly TrajectoryStep[];
}

/** A trajectory object that is not one: names the line and the field. */
export class TrajectoryFormatError extends Error {
  override readonly name = 'TrajectoryFormatError';
}

const issuesOf = (error: z.ZodError): string => error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(line)'}: ${i.message}`).join('; ');

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** What is wrong with the `expected`-th step line, if anything. */
const stepProblem = (
  step: TrajectoryStep,
  expected: number,
  last: boolean,
  observationSize: number,
  actionSize: number,
  maxSteps: number,
): string | undefined => {
  if (step.step !== expected) return `step is ${step.step}, expected ${expected}`;
  if (step.step > maxSteps) return `beyond the header's maxSteps ${maxSteps}`;
  if (step.observation.length !== observationSize) return `observation has ${step.observation.length} values, the observation space ${observationSize}`;
  if (step.action.length !== actionSize) return `action has ${step.action.length} values, the action space ${actionSize}`;
  const ends = step.terminated || step.truncated;
  if (last && !ends) return 'the last step neither terminated nor truncated the episode';
  if (!last && ends) return 'the episode ended before the last line';
  if (last && !step.finalObservation) return 'the last step has no finalObservation';
  if (!last && step.finalObservation) return 'finalObservation on a step that is not the last';
  if (step.finalObservation && step.finalObservation.length !== observationSize)
    return `finalObservation has ${step.finalObservation.length} values, the observation space ${observationSize}`;
  return undefined;
};

/**
 * Reads a trajectory object (the gzip'd bytes as stored) and checks it: header first, steps numbered 1, 2, …,
 * observation and action lengths as the header's spaces say, and only the last step ends the episode, with
 * its final observation.
 */
export const readTrajectory = (bytes: Uint8Array): Trajectory => {
  let text: string;
  try {
    text = gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw new TrajectoryFormatError(`not gzip data: ${(error as Error).message}`, { cause: error });
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const parsed = lines.map((line, i) => {
    try {
      return JSON.parse(line) as unknown;
    } catch (error) {
      throw new TrajectoryFormatError(`line ${i + 1}: not JSON: ${(error as Error).message}`, { cause: error });
    }
  });
  if (parsed.length === 0) throw new TrajectoryFormatError('empty: no header line');
  const head = trajectoryHeaderSchema.safeParse(parsed[0]);
  if (!head.success) throw new TrajectoryFormatError(`line 1 (header): ${issuesOf(head.error)}`);
  const header = head.data;
  if (parsed.length === 1) throw new TrajectoryFormatError('no steps after the header');
  const observationSize = size(header.observationSpace.shape);
  const actionSize = header.actionSpace.kind === 'discrete' ? 1 : size(header.actionSpace.shape);
  const steps = parsed.slice(1).map((value, i) => {
    const where = `line ${i + 2} (step ${i + 1})`;
    const result = trajectoryStepSchema.safeParse(value);
    if (!result.success) throw new TrajectoryFormatError(`${where}: ${issuesOf(result.error)}`);
    const step = result.data;
    const problem = stepProblem(step, i + 1, i === parsed.length - 2, observationSize, actionSize, header.maxSteps);
    if (problem) throw new TrajectoryFormatError(`${where}: ${problem}`);
    return step;
  });
  return { header, steps };
};
