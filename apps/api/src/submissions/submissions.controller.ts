import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageOf } from '../http/pagination.js';
import { SubmissionDetailDto } from './submission.dto.js';
import { SubmissionsQuery } from './submissions.query.js';
import { SubmissionsService } from './submissions.service.js';
import { PathParam } from '../http/fields.js';
import { UUID } from '../http/formats.js';

@ApiTags('submissions')
@Controller('submissions')
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Get()
  @ApiOperation({ summary: 'Submissions, newest first (or by block), each with its evaluation status summary' })
  @ApiOkResponse({ type: PageOf(SubmissionDetailDto), description: 'Each item’s `evaluation` is derived from its jobs at read time' })
  list(@Query() query: SubmissionsQuery) {
    return this.submissions.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One submission with its evaluation status summary' })
  @ApiOkResponse({ type: SubmissionDetailDto })
  @ApiNotFoundResponse({ description: 'No such submission (problem+json)' })
  get(@PathParam('id', UUID) id: string) {
    return this.submissions.get(id);
  }
}
