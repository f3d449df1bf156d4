import type { SubmissionEntity } from '#read-models';
import type { EvaluationSummary } from './evaluation-summary.js';
import type { SubmissionDetailDto } from './submission.dto.js';

/** The submission as served, with where its evaluation stands: every field named, none passed through unchosen. */
export const toSubmissionDto = (s: SubmissionEntity, evaluation: EvaluationSummary): SubmissionDetailDto => ({
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
  evaluation,
});
