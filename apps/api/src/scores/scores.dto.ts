import { ApiProperty } from '@nestjs/swagger';
import { scoreRoleSchema } from '#contracts';

export class ScoreIntervalDto {
  @ApiProperty() low!: number;
  @ApiProperty() high!: number;
}

/** One submission's judgement in one computation. */
export class ScoreEntryDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Absent in computations written before consensus scoring' }) submissionId!:
    string | null;
  @ApiProperty({ description: 'The miner (SS58 hotkey)' }) hotkey!: string;
  @ApiProperty() uid!: number;
  @ApiProperty({ type: String, nullable: true }) revision!: string | null;
  @ApiProperty({ description: 'Consensus success rate: the median of the validators’ rates (0 when unscored)' }) score!: number;
  @ApiProperty({ type: ScoreIntervalDto, nullable: true, description: '95% interval of the score (see the scoring README)' })
  interval!: ScoreIntervalDto | null;
  @ApiProperty({ type: [String], description: 'Validators whose results the score combines' }) validators!: string[];
  @ApiProperty({ type: [String], description: 'Validators whose own rate lies outside the interval (still in the median)' }) outliers!: string[];
  @ApiProperty({ type: Boolean, nullable: true }) eligible!: boolean | null;
  @ApiProperty({ type: String, enum: scoreRoleSchema.options, nullable: true }) role!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: '1 for the champion, 2.. for challengers by score; null when ineligible' }) rank!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the entry won or lost' }) reason!: string | null;
}

/** One validator's ScoresComputed, restricted to one competition. */
export class ScoreComputationDto {
  @ApiProperty() netuid!: number;
  @ApiProperty({ description: 'The validator that computed the scores' }) validator!: string;
  @ApiProperty({ description: 'Stream sequence of the ScoresComputed' }) streamSequence!: number;
  @ApiProperty({ description: 'The last stream sequence the computation read' }) upToSequence!: number;
  @ApiProperty({ format: 'date-time' }) at!: Date;
  @ApiProperty({ type: [ScoreEntryDto], description: 'In commitment order' }) entries!: ScoreEntryDto[];
}

export class CompetitionScoresDto {
  @ApiProperty() competitionId!: string;
  @ApiProperty({ type: [ScoreComputationDto], description: 'The latest computation of each validator (at or before asOfSequence when given), by validator' })
  computations!: ScoreComputationDto[];
}
