import type { SubmissionRejectionReason } from '#contracts';

/** Where a submission came from: the hotkey's commitment at a block. */
export interface SubmissionOrigin {
  submissionId: string;
  hotkey: string;
  block: number;
  /** The CommitmentObserved event the submission was decoded from. */
  commitmentEventId: string;
}

export interface ReceiveSubmission extends SubmissionOrigin {
  type: 'ReceiveSubmission';
  competitionId: string;
  repo: string;
  /** As committed: a full sha or a prefix, resolved when the submission is accepted. */
  revision: string;
}

export interface AcceptSubmission {
  type: 'AcceptSubmission';
  /** The full 40-hex revision the committed one resolved to. */
  revision: string;
  repoBytes: number;
}

export interface RejectSubmission {
  type: 'RejectSubmission';
  reason: SubmissionRejectionReason;
  detail: string;
  /**
   * Only for a commitment that never decoded into a submission (e.g. malformed_commitment): the submission
   * is rejected without having been received.
   */
  origin?: SubmissionOrigin;
}

export type SubmissionCommand = ReceiveSubmission | AcceptSubmission | RejectSubmission;
