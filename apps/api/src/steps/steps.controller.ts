import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StepDto } from '../episodes/episode.dto.js';
import { PageOf } from '../http/pagination.js';
import { StepsQuery } from './steps.query.js';
import { StepsService } from './steps.service.js';

@ApiTags('steps')
@Controller('steps')
export class StepsController {
  constructor(private readonly steps: StepsService) {}

  @Get()
  @ApiOperation({ summary: 'Sampled steps across episodes, by episode then step; filter by episode, evaluation, job, task, success' })
  @ApiOkResponse({ type: PageOf(StepDto) })
  list(@Query() query: StepsQuery) {
    return this.steps.list(query);
  }
}
