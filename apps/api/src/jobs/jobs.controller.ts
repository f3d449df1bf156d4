import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageOf } from '../http/pagination.js';
import { JobDto, JobStatusChangeDto, JobStatusDto } from './job.dto.js';
import { JobPageDto } from './job-page.js';
import { JobStatusQuery, JobsQuery } from './jobs.query.js';
import { JobsService } from './jobs.service.js';
import { PathParam } from '../http/fields.js';
import { UUID } from '../http/formats.js';

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiOperation({ summary: 'Jobs, newest first, filtered by competition, submission, miner, validator and status' })
  @ApiOkResponse({ type: JobPageDto, description: 'Newest first (created_at, then id, descending)' })
  list(@Query() query: JobsQuery) {
    return this.jobs.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One job: its submission, frozen benchmark and seeds' })
  @ApiOkResponse({ type: JobDto })
  @ApiNotFoundResponse({ description: 'No such job (problem+json)' })
  get(@PathParam('id', UUID) id: string) {
    return this.jobs.get(id);
  }

  @Get(':id/status')
  @ApiOperation({ summary: 'A job’s status per validator' })
  @ApiOkResponse({ type: PageOf(JobStatusDto), description: 'One row per validator that touched the job; the others have it QUEUED' })
  status(@PathParam('id', UUID) id: string, @Query() query: JobStatusQuery) {
    return this.jobs.status(id, query);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every status change of a job, in stream order' })
  @ApiOkResponse({ type: PageOf(JobStatusChangeDto), description: 'Every status change, in stream order' })
  history(@PathParam('id', UUID) id: string, @Query() query: JobStatusQuery) {
    return this.jobs.history(id, query);
  }
}
