import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageOf } from '../http/pagination.js';
import { SubmissionDetailDto, SubmissionDto } from './submission.dto.js';
import { SubmissionsQuery } from './submissions.query.js';
import { SubmissionsService } from './submissions.service.js';
import { PathParam } from '../http/fields.js';
import { UUID } from '../http/formats.js';

@ApiTags('submissions')
@Controller('submissions')
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(SubmissionDto) })
  list(@Query() query: SubmissionsQuery) {
    return this.submissions.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SubmissionDetailDto })
  @ApiNotFoundResponse({ description: 'No such submission (problem+json)' })
  get(@PathParam('id', UUID) id: string) {
    return this.submissions.get(id);
  }
}
