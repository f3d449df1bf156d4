import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BenchmarkSpec } from '#contracts';
import { int8 } from './columns.js';

@Entity({ name: 'competitions' })
export class CompetitionEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'jsonb' })
  benchmarks!: BenchmarkSpec[];

  @Column({ name: 'weight_share', type: 'double precision' })
  weightShare!: number;

  @Column({ name: 'max_repo_bytes', type: 'bigint', transformer: int8 })
  maxRepoBytes!: number;

  @Column({ name: 'submission_rate_limit', type: 'jsonb' })
  submissionRateLimit!: { count: number; perSeconds: number };

  @Column({ name: 'win_margin', type: 'double precision' })
  winMargin!: number;

  @Column({ name: 'min_validators', type: 'integer' })
  minValidators!: number;

  /** Null: open from creation (the event allows it). */
  @Column({ name: 'starts_at', type: 'timestamptz', nullable: true })
  startsAt!: Date | null;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Aggregate version of the last event applied. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
