import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Fault } from '#contracts';
import { int8 } from './columns.js';

/** QUEUED is implicit: a validator with no row for a job has not claimed it. */
export type JobStatusValue = 'QUEUED' | 'STARTING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'TIMEOUT' | 'CANCELLED';

@Entity({ name: 'job_status' })
@Index('job_status_validator_idx', ['validator'])
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

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
