import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CameraSpecDto {
  @ApiProperty({ type: [String] }) names!: string[];
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty() everyNSteps!: number;
}

export class BenchmarkSpecDto {
  @ApiProperty({ example: 'mt10' }) name!: string;
  @ApiProperty({ enum: ['metaworld', 'control'] }) provider!: 'metaworld' | 'control';
  @ApiProperty({ type: [String], example: ['reach-v3'] }) tasks!: string[];
  @ApiProperty() episodesPerTask!: number;
  @ApiProperty() maxSteps!: number;
  @ApiProperty() timeoutSeconds!: number;
  @ApiPropertyOptional({ type: () => CameraSpecDto }) camera?: CameraSpecDto;
}

export class RateLimitDto {
  @ApiProperty() count!: number;
  @ApiProperty() perSeconds!: number;
}

/** A row of the competitions read model, as served. */
export class CompetitionDto {
  @ApiProperty({ example: 'mt10' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: () => [BenchmarkSpecDto] }) benchmarks!: BenchmarkSpecDto[];
  @ApiProperty() weightShare!: number;
  @ApiProperty() maxRepoBytes!: number;
  @ApiProperty({ type: () => RateLimitDto }) submissionRateLimit!: RateLimitDto;
  @ApiProperty() winMargin!: number;
  @ApiProperty() minValidators!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startsAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt!: Date | null;
  @ApiProperty() active!: boolean;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
  @ApiProperty({ description: 'Aggregate version of the last event applied' }) version!: number;
  @ApiProperty({ description: 'Stream sequence of the last event applied' }) lastSequence!: number;
}
