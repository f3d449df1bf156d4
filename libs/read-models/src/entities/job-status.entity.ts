import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Fault, VerdictKind } from '#contracts';
import { int8 } from './columns.js';

/** QUEUED is implicit: a validator with no row for a job has not claimed it. */
export type JobStatusValue = 'QUEUED' | 'STARTING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'TIMEOUT' | 'CANCELLED';

@Entity({ name: 'job_status' })
@Index('job_status_validator_idx', ['validator'])
@Index('job_status_status_idx', ['status', 'jobId'])
@Index('job_status_status_updated_idx', ['status', 'updatedAt'])
export class JobStatusEntity {
  @PrimaryColumn({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @PrimaryColumn({ type: 'text' })
  validator!: string;

  @Column({ name: 'evaluation_id', type: 'uuid', nullable: true })
  evaluationId!: string | null;

  @Column({ type: 'text' })
  status!: JobStatusValue;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  fault!: Fault | null;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  /** Episodes the validator planned (null for evaluations claimed before planning existed). */
  @Column({ name: 'planned_episodes', type: 'integer', nullable: true })
  plannedEpisodes!: number | null;

  /** Distinct episodes recorded. */
  @Column({ name: 'episodes_done', type: 'integer', default: 0 })
  episodesDone!: number;

  /** Distinct episodes whose last attempt failed (and were not recorded since). */
  @Column({ name: 'episodes_failed', type: 'integer', default: 0 })
  episodesFailed!: number;

  /** The evaluator that started the evaluation. */
  @Column({ type: 'text', nullable: true })
  evaluator!: string | null;

  /** The runtime's verdict when an episode failed the evaluation. */
  @Column({ type: 'text', nullable: true })
  verdict!: VerdictKind | null;

  /** The episode that failed the evaluation, when one did. */
  @Column({ name: 'failed_episode_id', type: 'uuid', nullable: true })
  failedEpisodeId!: string | null;

  @Column({ name: 'stderr_tail', type: 'text', nullable: true })
  stderrTail!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  /** When it reached a terminal status. */
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
