import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { int8 } from './columns.js';

/** Every commitment the chain monitor observed, decoded with the commitment codec (valid, or why not). */
@Entity({ name: 'commitments' })
@Index('commitments_hotkey_idx', ['hotkey'])
export class CommitmentEntity {
  @PrimaryColumn({ name: 'stream_sequence', type: 'bigint', transformer: int8 })
  streamSequence!: number;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'integer' })
  netuid!: number;

  @Column({ type: 'text' })
  hotkey!: string;

  @Column({ type: 'integer', nullable: true })
  uid!: number | null;

  @Column({ type: 'bigint', transformer: int8 })
  block!: number;

  @Column({ name: 'block_hash', type: 'text' })
  blockHash!: string;

  /** The committed bytes as 0x-hex, exactly as on chain. */
  @Column({ type: 'text' })
  raw!: string;

  @Column({ type: 'boolean' })
  valid!: boolean;

  @Column({ name: 'competition_id', type: 'text', nullable: true })
  competitionId!: string | null;

  @Column({ type: 'text', nullable: true })
  repo!: string | null;

  @Column({ type: 'text', nullable: true })
  revision!: string | null;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'rejection_detail', type: 'text', nullable: true })
  rejectionDetail!: string | null;

  @Column({ name: 'observed_at', type: 'timestamptz' })
  observedAt!: Date;
}
