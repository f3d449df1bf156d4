import { ApiProperty } from '@nestjs/swagger';
import { weightsKinds } from '#read-models';

/** One scoring event of a validator as the weights history keeps it. */
export class WeightsRecordDto {
  @ApiProperty({ description: 'Stream sequence of the event' }) streamSequence!: number;
  @ApiProperty() netuid!: number;
  @ApiProperty({ description: 'The validator (SS58 hotkey)' }) validator!: string;
  @ApiProperty({
    enum: weightsKinds,
    description:
      'scores: a ScoresComputed; computed: a WeightsComputed; committed: a WeightsCommitted (commit-reveal); set: a WeightsSet; failed: a WeightsSetFailed',
  })
  kind!: string;
  @ApiProperty({ description: 'The last stream sequence the computation read' }) upToSequence!: number;
  @ApiProperty({ type: [Number] }) uids!: number[];
  @ApiProperty({ type: [Number], description: 'Floats summing to 1 when scores or computed; u16-quantised when committed or set; empty when failed' })
  weights!: number[];
  @ApiProperty({ type: Number, nullable: true, description: 'The block the chain included the extrinsic in (committed, set)' }) block!: number | null;
  @ApiProperty({ type: String, nullable: true }) extrinsicHash!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'committed: the hash the reveal opens' }) commitHash!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'set by a reveal: the block of the commit it opens' }) commitBlock!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'committed: first block of the reveal window' }) revealFromBlock!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'committed: last block of the reveal window' }) revealUntilBlock!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'failed: the chain’s reason' }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: Date;
}

/** Where one validator's weights stand: the latest of each kind (or, as of a block, what the chain held then). */
export class ValidatorWeightsDto {
  @ApiProperty() netuid!: number;
  @ApiProperty({ description: 'SS58 hotkey' }) validator!: string;
  @ApiProperty({ type: WeightsRecordDto, nullable: true, description: 'The computed vector (as of a block: the one the set below was derived from)' })
  computed!: WeightsRecordDto | null;
  @ApiProperty({ type: WeightsRecordDto, nullable: true }) committed!: WeightsRecordDto | null;
  @ApiProperty({ type: WeightsRecordDto, nullable: true, description: 'The vector on chain (as of a block: the last set included at or before it)' })
  set!: WeightsRecordDto | null;
  @ApiProperty({ type: WeightsRecordDto, nullable: true, description: 'The last refusal (none as of a block: a refusal has no block)' })
  failed!: WeightsRecordDto | null;
}

export class WeightsListDto {
  @ApiProperty({ type: [ValidatorWeightsDto] }) items!: ValidatorWeightsDto[];
}
