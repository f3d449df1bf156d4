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

  /** Scored submissions whose consensus combined its results, in the latest ScoresComputed of its subnet. */
  @Column({ name: 'consensus_entries', type: 'integer' })
  consensusEntries!: number;

  /** Of those, the ones where its rate lay outside the consensus interval. */
  @Column({ name: 'outlier_entries', type: 'integer' })
  outlierEntries!: number;

  /** Stream sequence of the ScoresComputed the two counts come from; null before any. */
  @Column({ name: 'agreement_sequence', type: 'bigint', nullable: true, transformer: int8 })
  agreementSequence!: number | null;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
