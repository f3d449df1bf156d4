import { performance } from 'node:perf_hooks';
import type { Env, EpisodeOutcome, Observation, StepInfo } from '#sim';
import type { AgentEpisode } from './client/agent-episode.js';
import type { AgentClient } from './client/client.js';
import type { TensorValue } from './tensor/codec.js';
import { ACTION, STATE } from './tensor/spec.js';

/** One step of an agent's episode as it happened, for recording. */
export interface EpisodeTransition {
  /** Steps taken so far, this one included (1-based). */
  readonly step: number;
  /** The observation the agent acted on. */
  readonly observation: Observation;
  /** The action as the environment was given it (before its clipping, which `info.action` reports). */
  readonly action: number[];
  readonly reward: number;
  readonly terminated: boolean;
  /** The environment's own limit, or the episode's `maxSteps` when that is smaller. */
  readonly truncated: boolean;
  readonly info: StepInfo;
  /** How long the agent's Act call took, as the host measured it. */
  readonly actLatencyMs: number;
  /** The observation the step produced (the next one the agent is shown, unless the episode ended). */
  readonly nextObservation: Observation;
}

export interface AgentEpisodeParams {
  readonly task: string;
  readonly seed: number;
  readonly benchmark?: string;
  readonly episodeIndex?: number;
  /** Truncates the episode after this many steps when smaller than the environment's own limit (the benchmark's maxSteps). */
  readonly maxSteps?: number;
  /** Called after every environment step with the number of steps taken (e.g. to render a frame). */
  readonly onStep?: (steps: number) => void;
  /** Called once, right after the environment's reset, with the first observation (step 0). */
  readonly onReset?: (observation: Observation) => void;
  /** Called after every step (after `onStep`) with everything the step involved. */
  readonly onTransition?: (transition: EpisodeTransition) => void;
}

/** The `action` tensor as the environment takes it (int64 values of a discrete space become numbers). */
const envAction = (action: TensorValue): number[] => {
  // Once per step: a loop is ~20x cheaper than Array.from with a map function.
  const values = new Array<number>(action.data.length);
  for (let i = 0; i < values.length; i++) values[i] = Number(action.data[i]);
  return values;
};

/** The step limit of an episode: the environment's, or a smaller one asked for. */
export const episodeStepLimit = (env: Env, maxSteps: number | undefined): number => {
  if (maxSteps === undefined) return env.maxEpisodeSteps;
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps must be a positive integer, got ${maxSteps}`);
  return Math.min(maxSteps, env.maxEpisodeSteps);
};

/** Whether step `steps` ends the episode by its limit: the environment said so, or the smaller limit is reached. */
export const truncatedAt = (result: { terminated: boolean; truncated: boolean }, steps: number, limit: number): boolean =>
  result.truncated || (!result.terminated && steps >= limit);

/**
 * Runs one episode of an agent behind `client` (already pinged with this task's spaces) on `env`: Reset, then Act
 * with the `state` observation until termination or truncation, then the episode's end. The same loop as
 * libs/sim's runEpisode for an in-process policy, so the two give identical outcomes for the same policy and seed
 * (without a smaller `maxSteps`). Several may run at once on one client, each on its own env, up to
 * `client.concurrentEpisodes`: while one waits for the agent, another steps its simulation.
 */
export const runAgentEpisode = async (env: Env, client: Pick<AgentClient, 'startEpisode'>, params: AgentEpisodeParams): Promise<EpisodeOutcome> => {
  const limit = episodeStepLimit(env, params.maxSteps);
  const episode = await client.startEpisode(params);
  try {
    return await runSteps(env, episode, limit, params);
  } finally {
    episode.end();
  }
};

const runSteps = async (env: Env, episode: Pick<AgentEpisode, 'act'>, limit: number, params: AgentEpisodeParams): Promise<EpisodeOutcome> => {
  let { observation } = env.reset({ seed: params.seed });
  params.onReset?.(observation);
  const { dtype, shape } = env.observationSpace;
  let totalReward = 0;
  let steps = 0;
  let stepsToSuccess: number | undefined;
  for (;;) {
    const asked = performance.now();
    const action = envAction((await episode.act({ [STATE]: { dtype, shape, data: observation } }, steps))[ACTION]!);
    const actLatencyMs = performance.now() - asked;
    const result = env.step(action);
    steps++;
    const truncated = truncatedAt(result, steps, limit);
    params.onStep?.(steps);
    params.onTransition?.({
      step: steps,
      observation,
      action,
      reward: result.reward,
      terminated: result.terminated,
      truncated,
      info: result.info,
      actLatencyMs,
      nextObservation: result.observation,
    });
    totalReward += result.reward;
    if (result.info.success && stepsToSuccess === undefined) stepsToSuccess = steps;
    observation = result.observation;
    if (result.terminated || truncated) {
      return { seed: params.seed, success: stepsToSuccess !== undefined, totalReward, steps, stepsToSuccess, terminated: result.terminated, truncated };
    }
  }
};
