import type { EventDataInput, Fault, VerdictKind } from '#contracts';

export interface ClaimEvaluation {
  type: 'ClaimEvaluation';
  jobId: string;
  validator: string;
  /** Episodes the validator plans (the job's seeds). */
  plannedEpisodes?: number;
}

export interface StartEvaluation {
  type: 'StartEvaluation';
  evaluator: string;
}

type Summary = Omit<EventDataInput<'EvaluationCompleted'>, 'evaluationId' | 'jobId' | 'validator'>;

export interface CompleteEvaluation extends Summary {
  type: 'CompleteEvaluation';
}

export interface FailEvaluation {
  type: 'FailEvaluation';
  reason: string;
  fault: Fault;
  detail: string;
  /** When an episode failed the evaluation: its verdict, its id and the end of the agent's stderr. */
  verdict?: VerdictKind;
  episodeId?: string;
  stderrTail?: string;
}

export interface CancelEvaluation {
  type: 'CancelEvaluation';
}

export type EvaluationCommand = ClaimEvaluation | StartEvaluation | CompleteEvaluation | FailEvaluation | CancelEvaluation;
