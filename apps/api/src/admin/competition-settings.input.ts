import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNumber, IsObject, IsOptional, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { BoundedInt, Conforms, Optional, Text } from '../http/fields.js';
import { BENCHMARK_NAME, DATE_TIME } from '../http/formats.js';

/**
 * Request bodies mirror the contract (competitionSettingsSchema); the domain validates again before appending.
 * competition-settings.equivalence.spec proves both accept the same bodies apart from the edge's size limits.
 * IsObject beside ValidateNested: alone, ValidateNested takes an array in an object's place (it checks its items).
 */
export class CameraInput {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @Text({ min: 1, max: 64, each: true })
  names!: string[];

  @ApiProperty() @BoundedInt(16, 1024) width!: number;
  @ApiProperty() @BoundedInt(16, 1024) height!: number;
  @ApiProperty() @BoundedInt(1, 100_000) everyNSteps!: number;
}

export class BenchmarkInput {
  @ApiProperty()
  @Conforms(BENCHMARK_NAME)
  name!: string;

  @ApiProperty({ enum: ['metaworld', 'control'] })
  @IsIn(['metaworld', 'control'])
  provider!: 'metaworld' | 'control';

  @ApiProperty({ type: [String], example: ['reach-v3', 'push-v3'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @Text({ min: 1, max: 128, each: true })
  tasks!: string[];

  @ApiProperty() @BoundedInt(1, 1000) episodesPerTask!: number;
  @ApiProperty() @BoundedInt(1, 100_000) maxSteps!: number;
  @ApiProperty() @BoundedInt(1, 86_400) timeoutSeconds!: number;

  @ApiPropertyOptional({ type: () => CameraInput })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => CameraInput)
  camera?: CameraInput;
}

export class RateLimitInput {
  @ApiProperty() @BoundedInt(1, 10_000) count!: number;
  @ApiProperty({ description: 'Window in seconds (at most a year)' }) @BoundedInt(1, 31_536_000) perSeconds!: number;
}

export class CompetitionSettingsInput {
  @ApiProperty({ example: 'MetaWorld MT10' }) @Text({ min: 1, max: 200 }) name!: string;

  @ApiPropertyOptional({ default: '' }) @Optional() @Text({ max: 5000 }) description?: string;

  @ApiProperty({ type: () => [BenchmarkInput] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(32)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BenchmarkInput)
  benchmarks!: BenchmarkInput[];

  @ApiProperty({ minimum: 0, maximum: 1, description: 'Share of the subnet emission' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  weightShare!: number;

  @ApiProperty() @BoundedInt(1, Number.MAX_SAFE_INTEGER) maxRepoBytes!: number;

  @ApiProperty({ type: () => RateLimitInput })
  @IsObject()
  @ValidateNested()
  @Type(() => RateLimitInput)
  submissionRateLimit!: RateLimitInput;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.05 })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  winMargin?: number;

  @ApiPropertyOptional({ default: 1 }) @Optional() @BoundedInt(1, 256) minValidators?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'Least consensus success rate a submission needs to be ranked' })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minSuccessRate?: number;

  @ApiPropertyOptional({ description: 'Least consensus mean episode reward a submission needs to be ranked' })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  minMeanReward?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'Upper clamp of the margin a challenger must beat the champion by' })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  maxMarginGap?: number;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @MaxLength(64)
  @Conforms(DATE_TIME)
  startsAt?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @MaxLength(64)
  @Conforms(DATE_TIME)
  endsAt?: string | null;
}
