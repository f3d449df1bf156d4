import type { CommitmentEntity } from '#read-models';
import type { CommitmentDto } from './commitment.dto.js';

/** The commitment as served; every field named. */
export const toCommitmentDto = (c: CommitmentEntity): CommitmentDto => ({
  streamSequence: c.streamSequence,
  eventId: c.eventId,
  netuid: c.netuid,
  hotkey: c.hotkey,
  uid: c.uid,
  block: c.block,
  blockHash: c.blockHash,
  raw: c.raw,
  valid: c.valid,
  competitionId: c.competitionId,
  repo: c.repo,
  revision: c.revision,
  rejectionReason: c.rejectionReason,
  rejectionDetail: c.rejectionDetail,
  observedAt: c.observedAt,
});
