import type { Env } from '../../core/env.js';
import { Rng } from '../../core/rng.js';
import type { Policy } from './policy.js';

export interface EpisodeOutcome {
  readonly seed: number;
  /** Success at any step, as MetaWorld's evaluation counts it. */
  readonly success: boolean;
  readonly totalReward: number;
  readonly steps: number;
  /** First step (1-based) with success, if any. */
  readonly stepsToSuccess: number | undefined;
  /** How it ended: the task reached a terminal state, or the step limit cut it short. */
  readonly terminated: boolean;
  readonly truncated: boolean;
}

/** Runs one full episode (until termination or truncation) of `policy` from `seed`. */
export const runEpisode = (env: Env, policy: Policy, seed: number): EpisodeOutcome => {
  let { observation } = env.reset({ seed });
  let totalReward = 0;
  let steps = 0;
  let stepsToSuccess: number | undefined;
  for (;;) {
    const result = env.step(policy.act(observation));
    steps++;
    totalReward += result.reward;
    if (result.info.success && stepsToSuccess === undefined) stepsToSuccess = steps;
    observation = result.observation;
    if (result.terminated || result.truncated) {
      const { terminated, truncated } = result;
      return { seed, success: stepsToSuccess !== undefined, totalReward, steps, stepsToSuccess, terminated, truncated };
    }
  }
};

/** Uniform random actions in [-1, 1]^n from its own seeded stream. */
export const randomPolicy = (seed: number, size = 4): Policy => {
  const rng = new Rng(seed);
  return { act: () => Float32Array.from({ length: size }, () => rng.uniform(-1, 1)) };
};

export interface PolicySummary {
  readonly episodes: number;
  readonly successRate: number;
  readonly meanReward: number;
  /** Mean over successful episodes; undefined if none succeeded. */
  readonly meanStepsToSuccess: number | undefined;
}

export const summarize = (outcomes: readonly EpisodeOutcome[]): PolicySummary => {
  const successes = outcomes.filter((o) => o.success);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    episodes: outcomes.length,
    successRate: successes.length / outcomes.length,
    meanReward: mean(outcomes.map((o) => o.totalReward)),
    meanStepsToSuccess: successes.length > 0 ? mean(successes.map((o) => o.stepsToSuccess!)) : undefined,
  };
};
