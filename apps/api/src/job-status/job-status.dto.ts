import { ApiProperty, OmitType } from '@nestjs/swagger';
import { JobStatusDto } from '../jobs/job.dto.js';

/** One validator's evaluation of one job, with its progress, and the job's competition and miner. */
export class JobStatusRowDto extends OmitType(JobStatusDto, ['running'] as const) {
  @ApiProperty({ type: String, nullable: true, description: 'The job’s competition (null if the job is not projected)' }) competitionId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The job’s miner hotkey (null if the job is not projected)' }) miner!: string | null;
}
