import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventData } from '#contracts';
import { int8 } from './columns.js';

export type TaskSummary = EventData<'EvaluationCompleted'>['tasks'][number];

@Entity({ name: 'results' })
@Index('results_job_idx', ['jobId'])
@Index('results_competition_idx', ['competitionId'])
@Index('results_hotkey_idx', ['hotkey'])
export class ResultEntity {
  @PrimaryColumn({ name: 'evaluation_id', type: 'uuid' })
  evaluationId!: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ type: 'text' })
  validator!: string;

  @Column({ name: 'competition_id', type: 'text' })
  competitionId!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @Column({ type: 'text' })
  hotkey!: string;

  @Column({ type: 'integer' })
  episodes!: number;

  @Column({ name: 'success_rate', type: 'double precision' })
  successRate!: number;

  @Column({ name: 'mean_reward', type: 'double precision' })
  meanReward!: number;

  /** 95% Wilson score interval of the success rate (null when the event did not carry it). */
  @Column({ name: 'success_low', type: 'double precision', nullable: true })
  successLow!: number | null;

  @Column({ name: 'success_high', type: 'double precision', nullable: true })
  successHigh!: number | null;

  /** Per task: episodes, success rate, mean reward and, when carried, the success interval. */
  @Column({ type: 'jsonb' })
  tasks!: TaskSummary[];

  @Column({ name: 'completed_at', type: 'timestamptz' })
  completedAt!: Date;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
