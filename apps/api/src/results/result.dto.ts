import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class IntervalDto {
  @ApiProperty({ minimum: 0, maximum: 1 }) low!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) high!: number;
}

export class TaskSummaryDto {
  @ApiProperty() task!: string;
  @ApiProperty() episodes!: number;
  @ApiProperty() successRate!: number;
  @ApiProperty() meanReward!: number;
  @ApiPropertyOptional({ type: () => IntervalDto, description: '95% Wilson score interval of the success rate (absent in older results)' })
  successInterval?: IntervalDto;
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
  @ApiProperty({
    type: () => IntervalDto,
    nullable: true,
    description: '95% Wilson score interval of the success rate over every episode; null in older results',
  })
  successInterval!: IntervalDto | null;
  @ApiProperty({ type: () => [TaskSummaryDto] }) tasks!: TaskSummaryDto[];
  @ApiProperty({ format: 'date-time' }) completedAt!: Date;
  @ApiProperty() lastSequence!: number;
}
