import { ApiProperty } from '@nestjs/swagger';

export class TaskSummaryDto {
  @ApiProperty() task!: string;
  @ApiProperty() episodes!: number;
  @ApiProperty() successRate!: number;
  @ApiProperty() meanReward!: number;
}

export class ResultDto {
  @ApiProperty({ format: 'uuid' }) evaluationId!: string;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() validator!: string;
  @ApiProperty() competitionId!: string;
  @ApiProperty({ format: 'uuid' }) submissionId!: string;
  @ApiProperty({ description: 'Miner hotkey' }) hotkey!: string;
  @ApiProperty() episodes!: number;
  @ApiProperty() successRate!: number;
  @ApiProperty() meanReward!: number;
  @ApiProperty({ type: () => [TaskSummaryDto] }) tasks!: TaskSummaryDto[];
  @ApiProperty({ format: 'date-time' }) completedAt!: Date;
  @ApiProperty() lastSequence!: number;
}
