import { ApiProperty } from '@nestjs/swagger';

export class ValidatorDto {
  @ApiProperty({ description: 'SS58 hotkey' }) hotkey!: string;
  @ApiProperty() netuid!: number;
  @ApiProperty() uid!: number;
  @ApiProperty({ description: 'Stake in rao, as a decimal string (it exceeds 2^53)', example: '1000000000' }) stake!: string;
  @ApiProperty({ description: 'Whether it holds a validator permit' }) validatorPermit!: boolean;
  @ApiProperty({ description: 'False once a snapshot of its subnet no longer lists it' }) active!: boolean;
  @ApiProperty({ description: 'The block of the last metagraph snapshot that listed it' }) lastSeenBlock!: number;
  @ApiProperty({ description: 'Scored submissions whose consensus combined its results, in the latest ScoresComputed of its subnet' })
  consensusEntries!: number;
  @ApiProperty({ description: 'Of those, the ones where its own rate lay outside the consensus interval' }) outlierEntries!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Agreement with consensus: 1 − outlierEntries / consensusEntries; null when it took part in none' })
  agreement!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Stream sequence of the ScoresComputed the agreement comes from; null before any' })
  agreementSequence!: number | null;
  @ApiProperty() lastSequence!: number;
}

export class ValidatorDetailDto extends ValidatorDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { RUNNING: 1, COMPLETED: 4 },
    description: 'Its evaluations (job_status rows) per status; jobs it never claimed are QUEUED and not counted',
  })
  evaluations!: Record<string, number>;
}
