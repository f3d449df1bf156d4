import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SubmissionRejectionReason } from '#contracts';
import { int8 } from './columns.js';

export type SubmissionStatus = 'pending' | 'accepted' | 'rejected';

@Entity({ name: 'submissions' })
@Index('submissions_competition_idx', ['competitionId'])
@Index('submissions_hotkey_idx', ['hotkey'])
export class SubmissionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Null when the commitment named no competition the scheduler could read. */
  @Column({ name: 'competition_id', type: 'text', nullable: true })
  competitionId!: string | null;

  @Column({ type: 'text' })
  hotkey!: string;

  @Column({ type: 'bigint', transformer: int8 })
  block!: number;

  @Column({ type: 'text', nullable: true })
  repo!: string | null;

  /** As committed while pending; the resolved 40-hex sha once accepted. */
  @Column({ type: 'text', nullable: true })
  revision!: string | null;

  @Column({ type: 'text' })
  status!: SubmissionStatus;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: SubmissionRejectionReason | null;

  @Column({ name: 'rejection_detail', type: 'text', nullable: true })
  rejectionDetail!: string | null;

  @Column({ name: 'repo_bytes', type: 'bigint', nullable: true, transformer: int8 })
  repoBytes!: number | null;

  @Column({ name: 'commitment_event_id', type: 'uuid' })
  commitmentEventId!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
