import type { ResultEntity } from '#read-models';
import type { ResultDto } from './result.dto.js';

/** The result as served, its interval as one value (null when the event carried none); every field named. */
export const toResultDto = (r: ResultEntity): ResultDto => ({
  evaluationId: r.evaluationId,
  jobId: r.jobId,
  validator: r.validator,
  competitionId: r.competitionId,
  submissionId: r.submissionId,
  hotkey: r.hotkey,
  episodes: r.episodes,
  successRate: r.successRate,
  meanReward: r.meanReward,
  successInterval: r.successLow === null || r.successHigh === null ? null : { low: r.successLow, high: r.successHigh },
  tasks: r.tasks,
  completedAt: r.completedAt,
  lastSequence: r.lastSequence,
});
