import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'Results of completed evaluations' })
  @ApiOkResponse({ type: PageOf(ResultDto) })
  list(@Query() query: ResultsQuery) {
    return this.results.list(query);
  }

  @Get(':evaluationId')
  @ApiOperation({ summary: 'The result of one evaluation' })
  @ApiOkResponse({ type: ResultDto })
  @ApiNotFoundResponse({ description: 'No result for that evaluation (problem+json)' })
  get(@PathParam('evaluationId', UUID) evaluationId: string) {
    return this.results.get(evaluationId);
  }
}
