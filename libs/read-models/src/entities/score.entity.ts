import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ScoreRole } from '#contracts';
import { int8 } from './columns.js';

/**
 * One submission's judgement in one ScoresComputed (keyed by its stream sequence and the entry's position): the
 * scores a validator computed as of each computation, so "latest per validator" and "as of sequence N" are both
 * one indexed read.
 */
@Entity({ name: 'scores' })
@Index('scores_competition_idx', ['competitionId', 'streamSequence'])
@Index('scores_validator_idx', ['validator', 'streamSequence'])
export class ScoreEntity {
  @PrimaryColumn({ name: 'stream_sequence', type: 'bigint', transformer: int8 })
  streamSequence!: number;

  @PrimaryColumn({ name: 'entry_index', type: 'integer' })
  entryIndex!: number;

  @Column({ type: 'integer' })
  netuid!: number;

  /** The validator that computed the scores. */
  @Column({ type: 'text' })
  validator!: string;

  @Column({ name: 'up_to_sequence', type: 'bigint', transformer: int8 })
  upToSequence!: number;

  @Column({ name: 'competition_id', type: 'text' })
  competitionId!: string;

  /** Absent in ScoresComputed written before consensus scoring. */
  @Column({ name: 'submission_id', type: 'uuid', nullable: true })
  submissionId!: string | null;

  @Column({ type: 'integer' })
  uid!: number;

  @Column({ type: 'text' })
  hotkey!: string;

  @Column({ type: 'text', nullable: true })
  revision!: string | null;

  /** Consensus success rate (0 when unscored). */
  @Column({ type: 'double precision' })
  score!: number;

  @Column({ name: 'score_low', type: 'double precision', nullable: true })
  scoreLow!: number | null;

  @Column({ name: 'score_high', type: 'double precision', nullable: true })
  scoreHigh!: number | null;

  /** Validators whose results the score combines. */
  @Column({ type: 'jsonb' })
  validators!: string[];

  /** Validators whose rate lies outside the consensus interval. */
  @Column({ type: 'jsonb' })
  outliers!: string[];

  @Column({ type: 'boolean', nullable: true })
  eligible!: boolean | null;

  @Column({ type: 'text', nullable: true })
  role!: ScoreRole | null;

  @Column({ type: 'integer', nullable: true })
  rank!: number | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
