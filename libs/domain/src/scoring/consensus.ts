import { wilsonInterval, type Interval } from '../stats/wilson.js';
import type { ScoredSubmission, ScoringState, ValidatorResult } from './state.js';

/** One validator's result for a whole submission: its results over every benchmark's job, pooled. */
export interface ValidatorRate {
  validator: string;
  episodes: number;
  successes: number;
  successRate: number;
  meanReward: number;
}

export type Consensus =
  | {
      kind: 'scored';
      /** Median over the validators' success rates. */
      successRate: number;
      /** Median over the validators' mean rewards. */
      meanReward: number;
      interval: Interval;
      /** Validators combined, sorted. */
      validators: string[];
      /** Validators whose own rate lies outside `interval`. */
      outliers: string[];
      rates: ValidatorRate[];
    }
  | { kind: 'unscored'; reason: string; validators: string[] };

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The job that counts for each benchmark of a submission: the latest created (a rerun replaces its original). */
const countedJobs = (state: ScoringState, submissionId: string, asOf: number): string[] => {
  const latest = new Map<string, string>();
  for (const jobId of state.jobsBySubmission.get(submissionId) ?? []) {
    const job = state.jobs.get(jobId)!;
    if (job.sequence <= asOf) latest.set(job.benchmark, jobId);
  }
  return [...latest.values()];
};

const pooled = (validator: string, results: ValidatorResult[]): ValidatorRate => {
  const episodes = results.reduce((sum, r) => sum + r.episodes, 0);
  const successes = results.reduce((sum, r) => sum + r.successes, 0);
  const reward = results.reduce((sum, r) => sum + r.meanReward * r.episodes, 0);
  return { validator, episodes, successes, successRate: successes / episodes, meanReward: reward / episodes };
};

/**
 * Combines the validators' results for one submission, as of `asOf` (results recorded later are left out).
 * A validator counts once it has reported every benchmark's job; the score is the median of their success rates,
 * and fewer than `quorum` such validators leave the submission unscored.
 *
 * The interval is Wilson's at the consensus rate over ONE validator's worth of episodes (the median episode count),
 * not over the episodes of every validator pooled: validators replay the same frozen seeds, so their episodes are
 * repeats of the same trials, not new ones, and pooling k validators would shrink the interval by √k without any
 * new evidence about the policy. With an odd number of validators this is exactly the median validator's
 * successes out of its episodes.
 */
export const consensusOf = (state: ScoringState, submission: ScoredSubmission, quorum: number, asOf: number, z: number): Consensus => {
  const jobs = countedJobs(state, submission.submissionId, asOf);
  if (jobs.length === 0) return { kind: 'unscored', reason: 'no job created yet', validators: [] };
  const perValidator = new Map<string, ValidatorResult[]>();
  for (const jobId of jobs) {
    for (const result of state.results.get(jobId)?.values() ?? []) {
      if (result.sequence <= asOf) perValidator.set(result.validator, [...(perValidator.get(result.validator) ?? []), result]);
    }
  }
  const complete = [...perValidator].filter(([, results]) => results.length === jobs.length).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const validators = complete.map(([validator]) => validator);
  if (complete.length < quorum) {
    return { kind: 'unscored', reason: `quorum not met: ${complete.length} of ${quorum} validators reported every benchmark`, validators };
  }
  const rates = complete.map(([validator, results]) => pooled(validator, results));
  const successRate = median(rates.map((r) => r.successRate));
  const episodes = Math.round(median(rates.map((r) => r.episodes)));
  const interval = wilsonInterval(Math.round(successRate * episodes), episodes, z);
  const outliers = rates.filter((r) => r.successRate < interval.low || r.successRate > interval.high).map((r) => r.validator);
  return { kind: 'scored', successRate, meanReward: median(rates.map((r) => r.meanReward)), interval, validators, outliers, rates };
};
