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
}
