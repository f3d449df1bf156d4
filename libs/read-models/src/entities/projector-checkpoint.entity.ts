import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from './columns.js';

/** The last stream sequence whose effects are in the tables; written in the same transaction as they are. */
@Entity({ name: 'projector_checkpoint' })
export class ProjectorCheckpointEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;

  /** recordedAt of the last event the checkpoint passed (not the wall clock). */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
