import { ApiProperty } from '@nestjs/swagger';

export class CompetitionShareDto {
  @ApiProperty() competitionId!: string;
  @ApiProperty({ description: 'As configured' }) weightShare!: number;
  @ApiProperty({ description: 'weightShare over the sum of the active competitions’' }) share!: number;
}

export class StatsDto {
  @ApiProperty({ example: { total: 2, active: 1 } }) competitions!: { total: number; active: number };
  @ApiProperty({ example: { pending: 1, accepted: 10, rejected: 2 }, description: 'Submissions per status' })
  submissions!: Record<string, number>;
  @ApiProperty({ example: { total: 20, cancelled: 1 } }) jobs!: { total: number; cancelled: number };
  @ApiProperty({ example: { RUNNING: 3, COMPLETED: 40 }, description: '(job, validator) pairs per status; QUEUED pairs have no row' })
  jobStatus!: Record<string, number>;
  @ApiProperty() results!: number;
  @ApiProperty() episodes!: number;
  @ApiProperty({
    example: { total: 64, active: 60, connected: 2, connectedHotkeys: ['5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty'] },
    description: 'total and active from the metagraph; connected: validators whose events consumer is pulling now',
  })
  validators!: { total: number; active: number; connected: number; connectedHotkeys: string[] };
  @ApiProperty({ type: () => [CompetitionShareDto], description: 'Each active competition’s share of the emission' }) competitionShares!: CompetitionShareDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'The newest chain block seen (metagraph snapshot or commitment); null before any' })
  lastSeenBlock!: number | null;
  @ApiProperty({ description: 'Stream sequence the read models are projected up to (0: nothing yet)' }) projectedSequence!: number;
}
