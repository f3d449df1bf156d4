import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageOf } from '../http/pagination.js';
import { ResultDto } from './result.dto.js';
import { ResultsQuery } from './results.query.js';
import { ResultsService } from './results.service.js';
import { PathParam } from '../http/fields.js';
import { UUID } from '../http/formats.js';

@ApiTags('results')
@Controller('results')
export class ResultsController {
  constructor(private readonly results: ResultsService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(ResultDto) })
  list(@Query() query: ResultsQuery) {
    return this.results.list(query);
  }

  @Get(':evaluationId')
  @ApiOkResponse({ type: ResultDto })
  @ApiNotFoundResponse({ description: 'No result for that evaluation (problem+json)' })
  get(@PathParam('evaluationId', UUID) evaluationId: string) {
    return this.results.get(evaluationId);
  }
}
