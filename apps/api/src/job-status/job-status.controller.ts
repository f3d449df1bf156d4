import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageOf } from '../http/pagination.js';
import { JobStatusRowDto } from './job-status.dto.js';
import { JobStatusAcrossJobsQuery } from './job-status.query.js';
import { JobStatusService } from './job-status.service.js';

@ApiTags('job-status')
@Controller('job-status')
export class JobStatusController {
  constructor(private readonly statuses: JobStatusService) {}

  @Get()
  @ApiOperation({ summary: 'Evaluations across jobs (one row per job and validator that claimed it), latest change first' })
  @ApiOkResponse({ type: PageOf(JobStatusRowDto), description: 'Validators that never claimed a job have it QUEUED and no row' })
  list(@Query() query: JobStatusAcrossJobsQuery) {
    return this.statuses.list(query);
  }
}
