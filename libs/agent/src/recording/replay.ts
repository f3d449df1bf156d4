import type { Env } from '#sim';
import { truncatedAt } from '../episode.js';
import { exactJson } from './exact-json.js';
import type { Trajectory } from './trajectory-format.js';

/** Whether stepping the recorded actions again gave the recorded episode, and where it first did not. */
export type ReplayResult =
  | { readonly identical: true; readonly steps: number }
  | { readonly identical: false; readonly step: number; readonly field: string; readonly recorded: unknown; readonly replayed: unknown };

const sameNumbers = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

/**
 * Resets `env` (the recorded task's environment) with the recorded seed and steps the recorded actions, comparing
 * every observation, reward, termination, truncation (at the recorded step limit) and info with the recording,
 * bit for bit (-0 and NaN included). The environments are deterministic, so any difference means the recording
 * or the environment is not what it claims.
 */
export const replayTrajectory = (env: Env, trajectory: Trajectory): ReplayResult => {
  const { header, steps } = trajectory;
  if (env.id !== header.env) throw new RangeError(`the trajectory is of ${header.env}, the environment is ${env.id}`);
  let { observation } = env.reset({ seed: header.seed });
  for (const recorded of steps) {
    const differs = (field: string, replayed: unknown, value: unknown) => ({
      identical: false as const,
      step: recorded.step,
      field,
      recorded: value,
      replayed,
    });
    if (!sameNumbers(observation, recorded.observation)) return differs('observation', Array.from(observation), recorded.observation);
    const result = env.step(recorded.action);
    const truncated = truncatedAt(result, recorded.step, header.maxSteps);
    if (!Object.is(result.reward, recorded.reward)) return differs('reward', result.reward, recorded.reward);
    if (result.terminated !== recorded.terminated) return differs('terminated', result.terminated, recorded.terminated);
    if (truncated !== recorded.truncated) return differs('truncated', truncated, recorded.truncated);
    if (exactJson(result.info) !== exactJson(recorded.info)) return differs('info', result.info, recorded.info);
    if (recorded.finalObservation && !sameNumbers(result.observation, recorded.finalObservation))
      return differs('finalObservation', Array.from(result.observation), recorded.finalObservation);
    observation = result.observation;
  }
  return { identical: true, steps: steps.length };
};
