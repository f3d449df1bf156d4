import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventData } from '#contracts';
import { int8 } from './columns.js';

export type FrameRef = EventData<'EpisodeRecorded'>['frames'][number];

@Entity({ name: 'episodes' })
@Index('episodes_evaluation_idx', ['evaluationId'])
@Index('episodes_job_idx', ['jobId'])
@Index('episodes_task_idx', ['task'])
export class EpisodeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'evaluation_id', type: 'uuid' })
  evaluationId!: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ type: 'text' })
  validator!: string;

  @Column({ type: 'text' })
  task!: string;

  @Column({ name: 'episode_index', type: 'integer' })
  episodeIndex!: number;

  @Column({ type: 'bigint', transformer: int8 })
  seed!: number;

  @Column({ type: 'integer' })
  steps!: number;

  @Column({ name: 'total_reward', type: 'double precision' })
  totalReward!: number;

  @Column({ type: 'boolean' })
  success!: boolean;

  @Column({ type: 'boolean' })
  terminated!: boolean;

  @Column({ type: 'boolean' })
  truncated!: boolean;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  /** Object key of the full trajectory; URLs are minted on read. */
  @Column({ name: 'trajectory_key', type: 'text', nullable: true })
  trajectoryKey!: string | null;

  /** The trajectory object's metadata (null for events written before it was carried). */
  @Column({ name: 'trajectory_content_type', type: 'text', nullable: true })
  trajectoryContentType!: string | null;

  @Column({ name: 'trajectory_bytes', type: 'bigint', nullable: true, transformer: int8 })
  trajectoryBytes!: number | null;

  @Column({ name: 'trajectory_sha256', type: 'text', nullable: true })
  trajectorySha256!: string | null;

  @Column({ type: 'jsonb' })
  frames!: FrameRef[];

  /** Who recorded it, and on which attempt (null for events written before they were carried). */
  @Column({ type: 'text', nullable: true })
  evaluator!: string | null;

  @Column({ type: 'integer', nullable: true })
  attempt!: number | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
