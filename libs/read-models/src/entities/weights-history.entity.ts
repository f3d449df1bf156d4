import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventData } from '#contracts';
import { int8 } from './columns.js';

export type WeightsKind = 'computed' | 'set' | 'failed';
export type ScoreEntry = EventData<'ScoresComputed'>['scores'][number];

/** One row per ScoresComputed / WeightsSet / WeightsSetFailed, keyed by stream sequence. */
@Entity({ name: 'weights_history' })
@Index('weights_history_validator_idx', ['validator'])
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

  /** Floats in [0, 1] when computed; u16-quantised when set; empty when failed. */
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

  @Column({ type: 'timestamptz' })
  at!: Date;
}
