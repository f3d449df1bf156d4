import { ApiProperty } from '@nestjs/swagger';

export class StatsDto {
  @ApiProperty({ example: { total: 2, active: 1 } }) competitions!: { total: number; active: number };
  @ApiProperty({ example: { pending: 1, accepted: 10, rejected: 2 }, description: 'Submissions per status' })
  submissions!: Record<string, number>;
  @ApiProperty({ example: { total: 20, cancelled: 1 } }) jobs!: { total: number; cancelled: number };
  @ApiProperty({ example: { RUNNING: 3, COMPLETED: 40 }, description: '(job, validator) pairs per status; QUEUED pairs have no row' })
  jobStatus!: Record<string, number>;
  @ApiProperty() results!: number;
  @ApiProperty() episodes!: number;
  @ApiProperty({ example: { total: 64, active: 60 } }) validators!: { total: number; active: number };
  @ApiProperty({ description: 'Stream sequence the read models are projected up to (0: nothing yet)' }) projectedSequence!: number;
}
