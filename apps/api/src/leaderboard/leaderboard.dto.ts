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

export class CompetitionStandingDto {
  @ApiProperty() competitionId!: string;
  @ApiProperty({ description: 'The competition’s share of the emission among active competitions (0-1)' }) share!: number;
  @ApiProperty({ description: 'Rank on the competition’s leaderboard' }) rank!: number;
  @ApiProperty() successRate!: number;
  @ApiProperty() meanReward!: number;
}

export class OverallLeaderboardEntryDto {
  @ApiProperty({ description: '1 = best' }) rank!: number;
  @ApiProperty({ description: 'Miner hotkey' }) hotkey!: string;
  @ApiProperty({ description: 'Σ over active competitions of share × the miner’s success rate there (0 where it has no results)' }) score!: number;
  @ApiProperty({ type: () => [CompetitionStandingDto], description: 'Where it stands in each active competition it has results in' })
  competitions!: CompetitionStandingDto[];
}

export class SubmissionLeaderboardEntryDto {
  @ApiProperty({ description: '1 = best under the sort asked for' }) rank!: number;
  @ApiProperty({ format: 'uuid' }) submissionId!: string;
  @ApiProperty() competitionId!: string;
  @ApiProperty({ description: 'Miner hotkey' }) hotkey!: string;
  @ApiProperty({ type: String, nullable: true }) repo!: string | null;
  @ApiProperty({ type: String, nullable: true }) revision!: string | null;
  @ApiProperty() block!: number;
  @ApiProperty({ description: 'Results kept by the filters' }) results!: number;
  @ApiProperty() validators!: number;
  @ApiProperty() episodes!: number;
  @ApiProperty({ description: 'Episode-weighted over the kept results' }) successRate!: number;
  @ApiProperty({ description: 'Episode-weighted over the kept results' }) meanReward!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The latest ScoresComputed score of this submission; null until scored' }) score!: number | null;
  @ApiProperty({ format: 'date-time' }) lastResultAt!: Date;
}
