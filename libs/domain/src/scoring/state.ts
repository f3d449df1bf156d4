import type { EventData } from '#contracts';
import type { CompetitionState } from '../competition/state.js';
import type { Metagraph } from '../metagraph.js';
import type { Tracked } from '../scheduler/state.js';

/** An accepted submission as scoring sees it: the commitment's block is its priority. */
export interface ScoredSubmission {
  submissionId: string;
  hotkey: string;
  competitionId: string;
  repo: string;
  revision: string;
  /** Block of the commitment it came from: the earlier, the higher its priority. */
  block: number;
  /** Stream sequence of its SubmissionAccepted. */
  sequence: number;
}

export interface ScoredJob {
  jobId: string;
  submissionId: string;
  benchmark: string;
  /** The frozen plan results are judged against (libs/domain/src/validation). */
  plan: Pick<EventData<'JobCreated'>['benchmark'], 'tasks' | 'episodesPerTask' | 'seeds'>;
  sequence: number;
}

/** One validator's EvaluationCompleted for one job: the first one folded; later duplicates are ignored. */
export interface ValidatorResult {
  validator: string;
  episodes: number;
  /** Successful episodes: successRate × episodes, rounded to the nearest integer. */
  successes: number;
  meanReward: number;
  sequence: number;
}

/** The latest MetagraphSynced of the subnet. */
export type ScoringMetagraph = Metagraph;

/**
 * What scoring knows, folded from the log only. One subnet per state. Competition settings are folded with the
 * competition's own decider, so scoring and the competition aggregate can never disagree on them.
 */
export interface ScoringState {
  readonly netuid: number;
  /** The highest stream sequence folded. */
  sequence: number;
  competitions: Map<string, Tracked<CompetitionState>>;
  submissions: Map<string, ScoredSubmission>;
  jobs: Map<string, ScoredJob>;
  /** Job ids per submission, in creation order. */
  jobsBySubmission: Map<string, string[]>;
  /** Results per job, per validator. */
  results: Map<string, Map<string, ValidatorResult>>;
  /** Accepted claims: evaluation id → (job, validator). */
  claims: Map<string, { jobId: string; validator: string }>;
  metagraph: ScoringMetagraph | null;
}

export const initialScoringState = (netuid: number): ScoringState => ({
  netuid,
  sequence: 0,
  competitions: new Map(),
  submissions: new Map(),
  jobs: new Map(),
  jobsBySubmission: new Map(),
  results: new Map(),
  claims: new Map(),
  metagraph: null,
});
