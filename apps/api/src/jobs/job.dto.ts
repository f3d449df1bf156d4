import { ApiProperty, PickType } from '@nestjs/swagger';
import { BenchmarkSpecDto } from '../competitions/competition.dto.js';

export const jobStatuses = ['QUEUED', 'STARTING', 'RUNNING', 'COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const;
export type JobStatusValue = (typeof jobStatuses)[number];

export class FrozenBenchmarkDto extends BenchmarkSpecDto {
  @ApiProperty({ type: [Number], description: 'One seed per episode, task-major' }) seeds!: number[];
}

export class JobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) submissionId!: string;
  @ApiProperty() competitionId!: string;
  @ApiProperty({ description: 'Miner hotkey' }) hotkey!: string;
  @ApiProperty() repo!: string;
  @ApiProperty() revision!: string;
  @ApiProperty() benchmarkName!: string;
  @ApiProperty({ type: () => FrozenBenchmarkDto }) benchmark!: FrozenBenchmarkDto;
  @ApiProperty({ format: 'date-time' }) deadline!: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) rerunOf!: string | null;
  @ApiProperty() cancelled!: boolean;
  @ApiProperty({ type: String, nullable: true }) cancelReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty() lastSequence!: number;
}

export class JobStatusDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() validator!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) evaluationId!: string | null;
  @ApiProperty({ enum: jobStatuses }) status!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, enum: ['miner', 'infrastructure'], nullable: true }) fault!: string | null;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
  @ApiProperty() lastSequence!: number;
}

export class JobStatusChangeDto extends PickType(JobStatusDto, ['jobId', 'validator', 'evaluationId', 'status', 'reason', 'fault'] as const) {
  @ApiProperty() streamSequence!: number;
  @ApiProperty({ format: 'date-time' }) at!: Date;
}
