import type { JobEntity } from '#read-models';
import type { JobDto } from './job.dto.js';

/** The job as served: every field named, so a column added to the table is not served until chosen here. */
export const toJobDto = (j: JobEntity): JobDto => ({
  id: j.id,
  submissionId: j.submissionId,
  competitionId: j.competitionId,
  hotkey: j.hotkey,
  repo: j.repo,
  revision: j.revision,
  benchmarkName: j.benchmarkName,
  benchmark: j.benchmark,
  deadline: j.deadline,
  rerunOf: j.rerunOf,
  cancelled: j.cancelled,
  cancelReason: j.cancelReason,
  createdAt: j.createdAt,
  lastSequence: j.lastSequence,
});
