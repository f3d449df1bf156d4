import { z } from 'zod';
import { defineEvent } from '../define.js';
import {
  faultSchema,
  frameRefSchema,
  intervalSchema,
  nonNegativeInt,
  objectRefSchema,
  positiveInt,
  sampledStepSchema,
  ss58Schema,
  uuidSchema,
  verdictKindSchema,
} from '../schemas.js';
import { text } from '../text.js';

const evaluationRef = { evaluationId: uuidSchema, jobId: uuidSchema, validator: ss58Schema };

const byEvaluation = (d: { evaluationId: string }) => [d.evaluationId];

export const EvaluationClaimed = defineEvent({
  type: 'EvaluationClaimed',
  aggregate: 'evaluation',
  aggregateKey: byEvaluation,
  description: 'A validator took a job (QUEUED → STARTING) and planned its episodes onto the work queue.',
  schema: z.object({
    ...evaluationRef,
    /** Episodes planned (tasks × episodes per task of the job's benchmark); absent in events written before planning existed. */
    plannedEpisodes: positiveInt.optional(),
  }),
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
  /** 95% Wilson score interval of the success rate. */
  successInterval: intervalSchema.optional(),
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
    /** 95% Wilson score interval of the success rate over every episode. */
    successInterval: intervalSchema.optional(),
    tasks: z.array(taskSummarySchema),
  }),
});

/** Longest `EvaluationFailed.detail` (it quotes what the agent or sandbox said); bound with `sanitizeText`. */
export const FAILURE_DETAIL_MAX_CHARS = 4000;
/** Longest stderr tail an event carries (the agent runtime keeps the last 4096 characters). */
export const STDERR_TAIL_MAX_CHARS = 4096;

export const EvaluationFailed = defineEvent({
  type: 'EvaluationFailed',
  aggregate: 'evaluation',
  aggregateKey: byEvaluation,
  description: 'The evaluation could not finish. `fault` says whether the miner or the infrastructure is to blame.',
  schema: z.object({
    ...evaluationRef,
    reason: text().min(1).max(200),
    fault: faultSchema,
    detail: text().max(FAILURE_DETAIL_MAX_CHARS),
    /** The runtime's verdict when an episode failed it (TIMEOUT, CRASH, …); absent for failures outside an episode. */
    verdict: verdictKindSchema.optional(),
    /** The episode that failed it, when one did. */
    episodeId: uuidSchema.optional(),
    /** The end of the agent's stderr (sanitised, bounded). */
    stderrTail: text().max(STDERR_TAIL_MAX_CHARS).optional(),
  }),
});

export const EvaluationCancelled = defineEvent({
  type: 'EvaluationCancelled',
  aggregate: 'evaluation',
  aggregateKey: byEvaluation,
  description: 'The validator stopped because the job was cancelled.',
  schema: z.object(evaluationRef),
});

/**
 * The evaluator's own log of its work on the evaluation so far (agent start, sandbox limits in force, episodes,
 * verdicts, errors; sanitised and bounded), uploaded to object storage before the event. Optional with no default:
 * episode events are signed over their parsed form, so events written before it must parse without the key.
 */
const evaluatorLog = objectRefSchema.optional();

const episodeRef = {
  episodeId: uuidSchema,
  ...evaluationRef,
  task: text().min(1),
  episodeIndex: nonNegativeInt,
  seed: nonNegativeInt,
};

export const EpisodeStarted = defineEvent({
  type: 'EpisodeStarted',
  aggregate: 'episode',
  aggregateKey: (d) => [d.episodeId],
  description: 'An evaluator took a work item and began the episode (one event per attempt).',
  schema: z.object({
    ...episodeRef,
    /** Who runs it: the evaluator's instance id (host and process). */
    evaluator: text().min(1).max(200),
    /** The work item's delivery count: 1 on the first try. */
    attempt: positiveInt,
  }),
});

export const EpisodeFailed = defineEvent({
  type: 'EpisodeFailed',
  aggregate: 'episode',
  aggregateKey: (d) => [d.episodeId],
  description:
    'An episode could not be run to its end. fault "miner": the agent is to blame and the evaluation fails; "infrastructure": the evaluator retried up to its budget and gave up.',
  schema: z.object({
    ...episodeRef,
    evaluator: text().min(1).max(200),
    attempt: positiveInt,
    verdict: verdictKindSchema,
    fault: faultSchema,
    /** One line a miner (or an operator) can act on. */
    reason: text().min(1).max(1000),
    stderrTail: text().max(STDERR_TAIL_MAX_CHARS),
    evaluatorLog,
  }),
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
    /** The trajectory object (every step); its key is `trajectoryKey`. */
    trajectory: objectRefSchema.optional(),
    frames: z.array(frameRefSchema).max(16),
    sampledSteps: z.array(sampledStepSchema).max(1000),
    evaluator: text().min(1).max(200).optional(),
    attempt: positiveInt.optional(),
    evaluatorLog,
  }),
});

export const evaluationEvents = [
  EvaluationClaimed,
  EvaluationStarted,
  EvaluationCompleted,
  EvaluationFailed,
  EvaluationCancelled,
  EpisodeStarted,
  EpisodeFailed,
  EpisodeRecorded,
] as const;
