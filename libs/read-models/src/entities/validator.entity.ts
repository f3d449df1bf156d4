import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from './columns.js';

/** Every neuron of the last metagraph snapshot that listed it; `validatorPermit` tells validators apart. */
@Entity({ name: 'validators' })
export class ValidatorEntity {
  @PrimaryColumn({ type: 'text' })
  hotkey!: string;

  @Column({ type: 'integer' })
  netuid!: number;

  @Column({ type: 'integer' })
  uid!: number;

  /** Decimal string: stakes exceed 2^53. */
  @Column({ type: 'numeric' })
  stake!: string;

  @Column({ name: 'validator_permit', type: 'boolean' })
  validatorPermit!: boolean;

  /** False once a snapshot of its subnet no longer lists it. */
  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'last_seen_block', type: 'bigint', transformer: int8 })
  lastSeenBlock!: number;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
