import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CompetitionFilter, HotkeyFilter, UuidFilter } from '../http/common-query.js';
import { PageQuery } from '../http/pagination.js';
import { jobStatuses } from '../jobs/job.dto.js';

/** A row exists once a validator claims a job, so QUEUED (no row) is not a status of these rows. */
export const rowStatuses = jobStatuses.filter((status) => status !== 'QUEUED');

export class JobStatusAcrossJobsQuery extends PageQuery {
  @UuidFilter('Job id') job?: string;
  @HotkeyFilter('Validator') validator?: string;
  @CompetitionFilter() competition?: string;
  @HotkeyFilter('Miner of the job') miner?: string;

  @ApiPropertyOptional({ enum: rowStatuses, description: 'QUEUED is not a row: see `GET /api/v1/jobs?status=QUEUED`' })
  @IsOptional()
  @IsIn(rowStatuses)
  status?: string;
}
