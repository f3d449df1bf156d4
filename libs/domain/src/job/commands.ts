import type { BenchmarkSpec } from '#contracts';
import type { EvaluationStatus } from '../evaluation/state.js';

export interface CreateJob {
  type: 'CreateJob';
  jobId: string;
  submissionId: string;
  competitionId: string;
  hotkey: string;
  repo: string;
  revision: string;
  /** The competition's spec now; frozen into the job with a seed for every episode. */
  benchmark: BenchmarkSpec;
  /** When the cause (the accepted submission or rerun request) was recorded: the deadline counts from it. */
  causedAt: string;
  rerunOf?: string | null;
}

export interface TimeOutJob {
  type: 'TimeOutJob';
  validator: string;
  /** That validator's evaluation status as its aggregate stands (QUEUED if it never claimed). */
  evaluationStatus: EvaluationStatus;
  /** The time the caller observed; the deadline must have passed. */
  now: string;
}

export interface CancelJob {
  type: 'CancelJob';
  reason: string;
  by: string;
}

export type JobCommand = CreateJob | TimeOutJob | CancelJob;
