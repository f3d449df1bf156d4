import type { SubmissionEntity } from '#read-models';
import type { EvaluationSummary } from './evaluation-summary.js';
import type { SubmissionDetailDto, SubmissionDto } from './submission.dto.js';

/** The submission's own fields as served: every field named, none passed through unchosen. */
export const toSubmissionFields = (s: SubmissionEntity): SubmissionDto => ({
  id: s.id,
  competitionId: s.competitionId,
  hotkey: s.hotkey,
  block: s.block,
  repo: s.repo,
  revision: s.revision,
  status: s.status,
  rejectionReason: s.rejectionReason,
  rejectionDetail: s.rejectionDetail,
  repoBytes: s.repoBytes,
  commitmentEventId: s.commitmentEventId,
  receivedAt: s.receivedAt,
  decidedAt: s.decidedAt,
  lastSequence: s.lastSequence,
});

/** The submission as served, with where its evaluation stands. */
export const toSubmissionDto = (s: SubmissionEntity, evaluation: EvaluationSummary): SubmissionDetailDto => ({ ...toSubmissionFields(s), evaluation });
