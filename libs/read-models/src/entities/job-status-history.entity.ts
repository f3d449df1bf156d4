import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Fault } from '#contracts';
import { int8 } from './columns.js';
import type { JobStatusValue } from './job-status.entity.js';

/** One row per status change of one (job, validator); one event (a cancellation) may change several. */
@Entity({ name: 'job_status_history' })
@Index('job_status_history_job_idx', ['jobId', 'validator'])
export class JobStatusHistoryEntity {
  @PrimaryColumn({ name: 'stream_sequence', type: 'bigint', transformer: int8 })
  streamSequence!: number;

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

  @Column({ type: 'timestamptz' })
  at!: Date;
}
