import type { Fault } from '#contracts';

export const evaluationStatuses = ['QUEUED', 'STARTING', 'RUNNING', 'COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const;
export type EvaluationStatus = (typeof evaluationStatuses)[number];
export const terminalEvaluationStatuses: readonly EvaluationStatus[] = ['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'];
export const isTerminal = (status: EvaluationStatus): boolean => terminalEvaluationStatuses.includes(status);

export interface EvaluationRef {
  evaluationId: string;
  jobId: string;
  validator: string;
}

/** One validator's evaluation of one job. QUEUED is the state before anything happened (no events). */
export type EvaluationState =
  | { status: 'QUEUED' }
  | ({ status: 'STARTING' } & EvaluationRef)
  | ({ status: 'RUNNING'; evaluator: string } & EvaluationRef)
  | ({ status: 'COMPLETED'; episodes: number; successRate: number; meanReward: number } & EvaluationRef)
  | ({ status: 'FAILED'; reason: string; fault: Fault } & EvaluationRef)
  | ({ status: 'TIMEOUT' } & EvaluationRef)
  | ({ status: 'CANCELLED' } & EvaluationRef);
