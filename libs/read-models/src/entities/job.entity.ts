import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventData } from '#contracts';
import { int8 } from './columns.js';

export type FrozenBenchmark = EventData<'JobCreated'>['benchmark'];

@Entity({ name: 'jobs' })
@Index('jobs_submission_idx', ['submissionId'])
// The jobs list's filters and sort (created_at, id descending: an index scanned backward).
@Index('jobs_created_idx', ['createdAt', 'id'])
@Index('jobs_competition_created_idx', ['competitionId', 'createdAt', 'id'])
@Index('jobs_hotkey_created_idx', ['hotkey', 'createdAt', 'id'])
export class JobEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @Column({ name: 'competition_id', type: 'text' })
  competitionId!: string;

  @Column({ type: 'text' })
  hotkey!: string;

  @Column({ type: 'text' })
  repo!: string;

  @Column({ type: 'text' })
  revision!: string;

  @Column({ name: 'benchmark_name', type: 'text' })
  benchmarkName!: string;

  /** The spec frozen at creation, seeds included. */
  @Column({ type: 'jsonb' })
  benchmark!: FrozenBenchmark;

  @Column({ type: 'timestamptz' })
  deadline!: Date;

  @Column({ name: 'rerun_of', type: 'uuid', nullable: true })
  rerunOf!: string | null;

  @Column({ type: 'boolean' })
  cancelled!: boolean;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
