import { z } from 'zod';
import { defineEvent } from '../define.js';
import { faultSchema, frameRefSchema, nonNegativeInt, sampledStepSchema, ss58Schema, uuidSchema } from '../schemas.js';
import { text } from '../text.js';

const evaluationRef = { evaluationId: uuidSchema, jobId: uuidSchema, validator: ss58Schema };

const byEvaluation = (d: { evaluationId: string }) => [d.evaluationId];

export const EvaluationClaimed = defineEvent({
  type: 'EvaluationClaimed',
  aggregate: 'evaluation',
  aggregateKey: byEvaluation,
  description: 'A validator took a job (QUEUED → STARTING).',
  schema: z.object(evaluationRef),
});

export const EvaluationStarted = defineEvent({
  type: 'EvaluationStarted',
  aggregate: 'evaluation',
  aggregateKey: byEvaluation,
  description: 'The agent is loaded and episodes are running (STARTING → RUNNING).',
  schema: z.object({ ...evaluationRef, evaluator: text().min(1) }),
});

export const taskSummarySchema = z.object({
  task: text().min(1),
  episodes: nonNegativeInt,
  successRate: z.number().min(0).max(1),
  meanReward: z.number(),
});

export const EvaluationCompleted = defineEvent({
  type: 'EvaluationCompleted',
  aggregate: 'evaluation',
  aggregateKey: byEvaluation,
  description: 'Every episode ran; the summary is what scoring uses.',
  schema: z.object({
    ...evaluationRef,
    episodes: nonNegativeInt,
    successRate: z.number().min(0).max(1),
    meanReward: z.number(),
    tasks: z.array(taskSummarySchema),
  }),
});

/** Longest `EvaluationFailed.detail` (it quotes what the agent or sandbox said); bound with `sanitizeText`. */
export const FAILURE_DETAIL_MAX_CHARS = 4000;

export const EvaluationFailed = defineEvent({
  type: 'EvaluationFailed',
  aggregate: 'evaluation',
  aggregateKey: byEvaluation,
  description: 'The evaluation could not finish. `fault` says whether the miner or the infrastructure is to blame.',
  schema: z.object({ ...evaluationRef, reason: text().min(1).max(200), fault: faultSchema, detail: text().max(FAILURE_DETAIL_MAX_CHARS) }),
});

export const EvaluationCancelled = defineEvent({
  type: 'EvaluationCancelled',
  aggregate: 'evaluation',
  aggregateKey: byEvaluation,
  description: 'The validator stopped because the job was cancelled.',
  schema: z.object(evaluationRef),
});

export const EpisodeRecorded = defineEvent({
  type: 'EpisodeRecorded',
  aggregate: 'episode',
  aggregateKey: (d) => [d.episodeId],
  description: 'One episode finished. Frames and the full trajectory are in object storage, uploaded before this event.',
  schema: z.object({
    episodeId: uuidSchema,
    ...evaluationRef,
    task: text().min(1),
    episodeIndex: nonNegativeInt,
    seed: nonNegativeInt,
    steps: nonNegativeInt,
    totalReward: z.number(),
    success: z.boolean(),
    terminated: z.boolean(),
    truncated: z.boolean(),
    durationMs: nonNegativeInt,
    trajectoryKey: text().min(1).nullable(),
    frames: z.array(frameRefSchema).max(16),
    sampledSteps: z.array(sampledStepSchema).max(1000),
  }),
});

export const evaluationEvents = [
  EvaluationClaimed,
  EvaluationStarted,
  EvaluationCompleted,
  EvaluationFailed,
  EvaluationCancelled,
  EpisodeRecorded,
] as const;
