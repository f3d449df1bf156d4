import { ApiProperty } from '@nestjs/swagger';

export class LeaderboardEntryDto {
  @ApiProperty({ description: '1 = best' }) rank!: number;
  @ApiProperty({ description: 'Miner hotkey' }) hotkey!: string;
  @ApiProperty({ description: 'Mean over validators of each validator’s episode-weighted success rate' }) successRate!: number;
  @ApiProperty({ description: 'Mean over validators of each validator’s episode-weighted mean reward' }) meanReward!: number;
  @ApiProperty({ description: 'Validators that reported results' }) validators!: number;
  @ApiProperty() episodes!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Earliest submission with results: breaks ties' })
  firstSubmissionId!: string | null;
  @ApiProperty({ type: Number, nullable: true }) firstBlock!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) firstSubmittedAt!: Date | null;
}
