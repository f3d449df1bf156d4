import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageOf } from '../http/pagination.js';
import { CompetitionDto } from './competition.dto.js';
import { CompetitionsQuery } from './competitions.query.js';
import { CompetitionsService } from './competitions.service.js';
import { PathParam } from '../http/fields.js';
import { COMPETITION_ID } from '../http/formats.js';

@ApiTags('competitions')
@Controller('competitions')
export class CompetitionsController {
  constructor(private readonly competitions: CompetitionsService) {}

  @Get()
  @ApiOperation({ summary: 'Competitions, with their benchmarks and settings' })
  @ApiOkResponse({ type: PageOf(CompetitionDto) })
  list(@Query() query: CompetitionsQuery) {
    return this.competitions.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One competition' })
  @ApiOkResponse({ type: CompetitionDto })
  @ApiNotFoundResponse({ description: 'No such competition (problem+json)' })
  get(@PathParam('id', COMPETITION_ID) id: string) {
    return this.competitions.get(id);
  }
}
