import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CommandAcceptedDto } from './admin-competitions.dto.js';

export class RerunSubmissionBody {
  @ApiPropertyOptional({ type: [String], example: ['mt10'], description: 'Benchmarks to rerun; all of the submission’s when omitted. Not with jobId.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  benchmarks?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'One job of the submission to rerun. Not with benchmarks.' })
  @IsOptional()
  @IsUUID()
  jobId?: string;

  @ApiPropertyOptional({ default: '' }) @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class CancelJobBody {
  @ApiPropertyOptional({ default: '' }) @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class RequestAcceptedDto extends CommandAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'The request; the scheduler’s JobCreated / JobCancelled name it as their cause' })
  requestId!: string;
}
