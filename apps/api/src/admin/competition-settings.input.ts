import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/** Request bodies mirror the contract (competitionSettingsSchema); the domain validates again before appending. */
export class CameraInput {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  names!: string[];

  @ApiProperty({ minimum: 16, maximum: 1024 }) @IsInt() @Min(16) @Max(1024) width!: number;
  @ApiProperty({ minimum: 16, maximum: 1024 }) @IsInt() @Min(16) @Max(1024) height!: number;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) everyNSteps!: number;
}

export class BenchmarkInput {
  @ApiProperty({ example: 'mt10' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { message: 'name must be a benchmark name of 1-64 characters' })
  name!: string;

  @ApiProperty({ enum: ['metaworld', 'control'] })
  @IsIn(['metaworld', 'control'])
  provider!: 'metaworld' | 'control';

  @ApiProperty({ type: [String], example: ['reach-v3', 'push-v3'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  tasks!: string[];

  @ApiProperty({ minimum: 1, maximum: 1000 }) @IsInt() @Min(1) @Max(1000) episodesPerTask!: number;
  @ApiProperty({ minimum: 1, maximum: 100_000 }) @IsInt() @Min(1) @Max(100_000) maxSteps!: number;
  @ApiProperty({ minimum: 1, maximum: 86_400 }) @IsInt() @Min(1) @Max(86_400) timeoutSeconds!: number;

  @ApiPropertyOptional({ type: () => CameraInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => CameraInput)
  camera?: CameraInput;
}

export class RateLimitInput {
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) count!: number;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) perSeconds!: number;
}

export class CompetitionSettingsInput {
  @ApiProperty({ example: 'MetaWorld MT10' }) @IsString() @Length(1, 200) name!: string;

  @ApiPropertyOptional({ default: '' }) @IsOptional() @IsString() @MaxLength(5000) description?: string;

  @ApiProperty({ type: () => [BenchmarkInput] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => BenchmarkInput)
  benchmarks!: BenchmarkInput[];

  @ApiProperty({ minimum: 0, maximum: 1, description: 'Share of the subnet emission' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  weightShare!: number;

  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) maxRepoBytes!: number;

  @ApiProperty({ type: () => RateLimitInput })
  @ValidateNested()
  @Type(() => RateLimitInput)
  submissionRateLimit!: RateLimitInput;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.05 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  winMargin?: number;

  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @IsInt() @Min(1) minValidators?: number;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  endsAt?: string | null;
}
