import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A sampled step of an episode (append-only: an episode is recorded once). */
@Entity({ name: 'steps' })
export class StepEntity {
  @PrimaryColumn({ name: 'episode_id', type: 'uuid' })
  episodeId!: string;

  @PrimaryColumn({ type: 'integer' })
  step!: number;

  @Column({ type: 'double precision' })
  reward!: number;

  @Column({ type: 'boolean' })
  success!: boolean;

  @Column({ type: 'jsonb' })
  action!: number[];

  /** Null where the event did not say (older evaluators). */
  @Column({ type: 'boolean', nullable: true })
  terminated!: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  truncated!: boolean | null;

  /** The environment's scalar metrics at this step. */
  @Column({ type: 'jsonb', nullable: true })
  info!: Record<string, number | boolean | string> | null;
}
