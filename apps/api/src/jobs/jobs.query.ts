import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CompetitionFilter, HotkeyFilter, UuidFilter } from '../http/common-query.js';
import { PageQuery } from '../http/pagination.js';
import { CursorParam } from './job-cursor.js';
import { jobStatuses, type JobStatusValue } from './job.dto.js';

export class JobsQuery extends PageQuery {
  @CompetitionFilter() competition?: string;
  @UuidFilter('Submission id') submission?: string;
  @HotkeyFilter('Miner') miner?: string;
  @HotkeyFilter('Validator; with `status`, the status for this validator') validator?: string;

  @ApiPropertyOptional({
    enum: jobStatuses,
    description: 'Jobs that some validator (or the given one) has in this status; QUEUED = not yet claimed by anyone (or by the given validator)',
  })
  @IsOptional()
  @IsIn(jobStatuses)
  status?: JobStatusValue;

  @CursorParam() cursor?: string;
}

export class JobStatusQuery extends PageQuery {
  @HotkeyFilter('Only this validator') validator?: string;
}
