import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageOf, PageQuery } from '../http/pagination.js';
import { EpisodeDto, StepDto } from './episode.dto.js';
import { EpisodesQuery } from './episodes.query.js';
import { EpisodesService } from './episodes.service.js';
import { PathParam } from '../http/fields.js';
import { UUID } from '../http/formats.js';

@ApiTags('episodes')
@Controller('episodes')
export class EpisodesController {
  constructor(private readonly episodes: EpisodesService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(EpisodeDto) })
  list(@Query() query: EpisodesQuery) {
    return this.episodes.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: EpisodeDto })
  @ApiNotFoundResponse({ description: 'No such episode (problem+json)' })
  get(@PathParam('id', UUID) id: string) {
    return this.episodes.get(id);
  }

  @Get(':id/steps')
  @ApiOkResponse({ type: PageOf(StepDto) })
  @ApiNotFoundResponse({ description: 'No such episode (problem+json)' })
  steps(@PathParam('id', UUID) id: string, @Query() query: PageQuery) {
    return this.episodes.steps(id, query);
  }
}
