import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventData } from '#contracts';
import { int8 } from './columns.js';

/**
 * `scores`: a ScoresComputed (its weights and every entry); `computed`: a WeightsComputed; `committed`: a
 * WeightsCommitted (commit-reveal); `set`: a WeightsSet; `failed`: a WeightsSetFailed.
 */
export const weightsKinds = ['scores', 'computed', 'committed', 'set', 'failed'] as const;
export type WeightsKind = (typeof weightsKinds)[number];
export type ScoreEntry = EventData<'ScoresComputed'>['scores'][number];

/** One row per scoring event of a validator (ScoresComputed, WeightsComputed, WeightsCommitted, WeightsSet, WeightsSetFailed), keyed by stream sequence. */
@Entity({ name: 'weights_history' })
@Index('weights_history_validator_idx', ['validator'])
@Index('weights_history_subnet_idx', ['netuid', 'validator', 'streamSequence'])
export class WeightsHistoryEntity {
  @PrimaryColumn({ name: 'stream_sequence', type: 'bigint', transformer: int8 })
  streamSequence!: number;

  @Column({ type: 'integer' })
  netuid!: number;

  @Column({ type: 'text' })
  validator!: string;

  @Column({ type: 'text' })
  kind!: WeightsKind;

  @Column({ name: 'up_to_sequence', type: 'bigint', transformer: int8 })
  upToSequence!: number;

  @Column({ type: 'jsonb' })
  uids!: number[];

  /** Floats in [0, 1] when scored or computed; u16-quantised when committed or set; empty when failed. */
  @Column({ type: 'jsonb' })
  weights!: number[];

  @Column({ type: 'jsonb', nullable: true })
  scores!: ScoreEntry[] | null;

  @Column({ type: 'bigint', nullable: true, transformer: int8 })
  block!: number | null;

  @Column({ name: 'extrinsic_hash', type: 'text', nullable: true })
  extrinsicHash!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Committed: the hash the reveal opens. */
  @Column({ name: 'commit_hash', type: 'text', nullable: true })
  commitHash!: string | null;

  /** Set by a reveal: the block of the commit it opens. */
  @Column({ name: 'commit_block', type: 'bigint', nullable: true, transformer: int8 })
  commitBlock!: number | null;

  /** Committed: the reveal window the chain recorded (inclusive blocks). */
  @Column({ name: 'reveal_from_block', type: 'bigint', nullable: true, transformer: int8 })
  revealFromBlock!: number | null;

  @Column({ name: 'reveal_until_block', type: 'bigint', nullable: true, transformer: int8 })
  revealUntilBlock!: number | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
