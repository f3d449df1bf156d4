import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { Conforms, Optional, Text } from '../http/fields.js';
import { BENCHMARK_NAME, UUID } from '../http/formats.js';
import { CommandAcceptedDto } from './admin-competitions.dto.js';

export class RerunSubmissionBody {
  @ApiPropertyOptional({ type: [String], example: ['mt10'], description: 'Benchmarks to rerun; all of the submission’s when omitted. Not with jobId.' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @Conforms(BENCHMARK_NAME, { each: true })
  benchmarks?: string[];

  @ApiPropertyOptional({ description: 'One job of the submission to rerun. Not with benchmarks.' })
  @Optional()
  @Conforms(UUID)
  jobId?: string;

  @ApiPropertyOptional({ default: '' }) @Optional() @Text({ max: 1000 }) reason?: string;
}

export class CancelJobBody {
  @ApiPropertyOptional({ default: '' }) @Optional() @Text({ max: 1000 }) reason?: string;
}

export class RequestAcceptedDto extends CommandAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'The request; the scheduler’s JobCreated / JobCancelled name it as their cause' })
  requestId!: string;
}
