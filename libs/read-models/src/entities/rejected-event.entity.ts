import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from './columns.js';

/**
 * An event the projection passed without applying: valid by its contract, but naming something no earlier event
 * created, or holding a value a column cannot (Postgres refused it). Written with the batch and its checkpoint.
 */
@Entity({ name: 'rejected_events' })
export class RejectedEventEntity {
  @PrimaryColumn({ name: 'stream_sequence', type: 'bigint', transformer: int8 })
  streamSequence!: number;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  aggregate!: string;

  @Column({ name: 'aggregate_id', type: 'text' })
  aggregateId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
