import type { EpisodeStateEntity, JobStatusEntity, JobStatusHistoryEntity } from '#read-models';
import type { EpisodeStateDto, HeartbeatDto, JobStatusChangeDto, JobStatusDto } from './job.dto.js';

/** A validator's evaluation of a job as served, without what is joined at read time; every field named. */
export const toEvaluationFields = (s: JobStatusEntity): Omit<JobStatusDto, 'running'> => ({
  jobId: s.jobId,
  validator: s.validator,
  evaluationId: s.evaluationId,
  status: s.status,
  reason: s.reason,
  fault: s.fault,
  detail: s.detail,
  plannedEpisodes: s.plannedEpisodes,
  episodesDone: s.episodesDone,
  episodesFailed: s.episodesFailed,
  evaluator: s.evaluator,
  verdict: s.verdict,
  failedEpisodeId: s.failedEpisodeId,
  stderrTail: s.stderrTail,
  startedAt: s.startedAt,
  finishedAt: s.finishedAt,
  updatedAt: s.updatedAt,
  lastSequence: s.lastSequence,
});

/** An episode's state as the log has it; every field named. */
export const toEpisodeStateFields = (s: EpisodeStateEntity): Omit<EpisodeStateDto, 'slot' | 'heartbeat'> => ({
  episodeId: s.episodeId,
  evaluationId: s.evaluationId,
  jobId: s.jobId,
  validator: s.validator,
  task: s.task,
  episodeIndex: s.episodeIndex,
  seed: s.seed,
  state: s.state,
  evaluator: s.evaluator,
  attempt: s.attempt,
  startedAt: s.startedAt,
  finishedAt: s.finishedAt,
  verdict: s.verdict,
  fault: s.fault,
  reason: s.reason,
  stderrTail: s.stderrTail,
  lastSequence: s.lastSequence,
});

/** An episode's state as served, with its place in the plan and its live heartbeat (both found at read time). */
export const toEpisodeStateDto = (s: EpisodeStateEntity, slot: number | null, heartbeat: HeartbeatDto | null): EpisodeStateDto => ({
  ...toEpisodeStateFields(s),
  slot,
  heartbeat,
});

/** One status change of a job as served; every field named. */
export const toJobStatusChangeDto = (h: JobStatusHistoryEntity): JobStatusChangeDto => ({
  streamSequence: h.streamSequence,
  jobId: h.jobId,
  validator: h.validator,
  evaluationId: h.evaluationId,
  status: h.status,
  reason: h.reason,
  fault: h.fault,
  at: h.at,
});
