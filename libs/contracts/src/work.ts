import { z } from 'zod';
import { frozenBenchmarkSchema } from './events/job.js';
import { nonNegativeInt, positiveInt, repoIdSchema, revisionSchema, ss58Schema, uuidSchema } from './schemas.js';
import type { Topology } from './subjects.js';
import { text } from './text.js';

/**
 * Work items ride on the work stream (`<namespace>.work.>`): they carry no facts, only what an evaluator needs to
 * run one episode of a validator's evaluation without reading anything else. Losing the stream loses no history:
 * the validator plans again from the log.
 */
export const EPISODE_WORK_KIND = 'episode';
export const EPISODE_WORK_VERSION = 1;

export const episodeWorkItemSchema = z.object({
  kind: z.literal(EPISODE_WORK_KIND),
  version: z.literal(EPISODE_WORK_VERSION),
  evaluationId: uuidSchema,
  jobId: uuidSchema,
  validator: ss58Schema,
  episodeId: uuidSchema,
  /** Task-major position of the episode in the job's plan (seeds[slot]); the work subject's last token. */
  slot: nonNegativeInt,
  task: text().min(1),
  /** Index of the episode within its task. */
  episodeIndex: nonNegativeInt,
  seed: nonNegativeInt,
  /** Episodes the evaluation plans in all. */
  plannedEpisodes: positiveInt,
  repo: repoIdSchema,
  revision: revisionSchema,
  /** The job's frozen benchmark (provider, max steps, camera, timeout). */
  benchmark: frozenBenchmarkSchema,
  /** The job's deadline for this validator: past it, the work is worthless. */
  deadline: z.iso.datetime({ offset: true }),
  /** The largest agent repo the competition accepts, in bytes. */
  maxRepoBytes: positiveInt,
});
export type EpisodeWorkItem = z.infer<typeof episodeWorkItemSchema>;

/**
 * `<namespace>.work.episode.<validatorSs58>.<evaluationId>.<slot>`: one subject per episode, so a re-plan is
 * deduplicated per subject; the validator's token lets NATS permissions give each validator operator (its validator
 * and its evaluators) its own work and nobody else's.
 */
export const episodeWorkSubject = (t: Topology, validator: string, evaluationId: string, slot: number): string =>
  t.workSubject(EPISODE_WORK_KIND, `${validator}.${evaluationId}.${slot}`);

/** Every work item of one evaluation (to withdraw them, or to see which are still queued). */
export const evaluationWorkFilter = (t: Topology, validator: string, evaluationId: string): string =>
  t.workSubject(EPISODE_WORK_KIND, `${validator}.${evaluationId}.*`);

/** `<namespace>.work.episode.<ss58>.>`: every episode work item of one validator, what its evaluators consume. */
export const validatorWorkFilter = (t: Topology, validator: string): string => t.workSubject(EPISODE_WORK_KIND, `${validator}.>`);

/** The durable consumer the evaluators of one validator share on the work stream: `evaluator-<ss58>`. */
export const evaluatorDurable = (validator: string): string => `evaluator-${validator}`;

/** The durable consumer of one validator on the events stream: one per hotkey, so validators never share progress. */
export const validatorDurable = (validator: string): string => `validator-${validator}`;

/** The message id of a work item: a re-plan inside the duplicate window is dropped by the server. */
export const episodeWorkMessageId = (item: Pick<EpisodeWorkItem, 'episodeId'>): string => `work-${item.episodeId}`;

/**
 * An evaluator's heartbeat for an episode it is running, kept in the activity KV bucket under
 * `<evaluationId>.<slot>` (last value only). Live state, not history: the read models show the episode's start from
 * the log and the API adds the heartbeat's age from here.
 */
export const episodeHeartbeatSchema = z.object({
  evaluationId: uuidSchema,
  episodeId: uuidSchema,
  slot: nonNegativeInt,
  evaluator: text().min(1).max(200),
  attempt: positiveInt,
  /** Steps taken so far. */
  step: nonNegativeInt,
  maxSteps: positiveInt,
  startedAt: z.iso.datetime({ offset: true }),
  heartbeatAt: z.iso.datetime({ offset: true }),
});
export type EpisodeHeartbeat = z.infer<typeof episodeHeartbeatSchema>;

export const episodeHeartbeatKey = (evaluationId: string, slot: number): string => `${evaluationId}.${slot}`;
