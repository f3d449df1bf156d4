import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventData, Fault, VerdictKind } from '#contracts';
import { int8 } from './columns.js';

/** An object reference as the episode events carry it (key, content type, bytes, sha256). */
export type LogObjectRef = NonNullable<EventData<'EpisodeRecorded'>['evaluatorLog']>;

/** running: an attempt started and has not ended; recorded: it finished (final); failed: its last attempt failed. */
export type EpisodeStateValue = 'running' | 'recorded' | 'failed';

/**
 * Where each episode of an evaluation stands, from EpisodeStarted / EpisodeRecorded / EpisodeFailed: one row per
 * episode, describing its latest attempt. A recorded episode stays recorded whatever arrives after.
 */
@Entity({ name: 'episode_states' })
@Index('episode_states_evaluation_idx', ['evaluationId'])
@Index('episode_states_job_idx', ['jobId'])
export class EpisodeStateEntity {
  @PrimaryColumn({ name: 'episode_id', type: 'uuid' })
  episodeId!: string;

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

  @Column({ type: 'text' })
  state!: EpisodeStateValue;

  /** The evaluator holding (or that last held) it; null when the events did not say. */
  @Column({ type: 'text', nullable: true })
  evaluator!: string | null;

  @Column({ type: 'integer', nullable: true })
  attempt!: number | null;

  /** When its latest attempt started. */
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  verdict!: VerdictKind | null;

  @Column({ type: 'text', nullable: true })
  fault!: Fault | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'stderr_tail', type: 'text', nullable: true })
  stderrTail!: string | null;

  /**
   * The evaluator's log of the evaluation as the latest attempt's final event named it (an object in the store);
   * null while it runs, and for events written before evaluators wrote one.
   */
  @Column({ name: 'evaluator_log', type: 'jsonb', nullable: true })
  evaluatorLog!: LogObjectRef | null;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
