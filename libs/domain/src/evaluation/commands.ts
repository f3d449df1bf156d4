import type { EventDataInput, Fault } from '#contracts';

export interface ClaimEvaluation {
  type: 'ClaimEvaluation';
  jobId: string;
  validator: string;
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
}

export interface CancelEvaluation {
  type: 'CancelEvaluation';
}

export type EvaluationCommand = ClaimEvaluation | StartEvaluation | CompleteEvaluation | FailEvaluation | CancelEvaluation;
