import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PageOf, PageQuery } from '../http/pagination.js';
import type { ObjectRequest, ObjectResponse } from '../objects/object-serving.service.js';
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
  @ApiOperation({ summary: 'Recorded episodes, with frame and trajectory URLs minted on read' })
  @ApiOkResponse({ type: PageOf(EpisodeDto), description: 'Frame and trajectory URLs are minted on this read' })
  list(@Query() query: EpisodesQuery) {
    return this.episodes.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One recorded episode' })
  @ApiOkResponse({ type: EpisodeDto, description: 'Frame and trajectory URLs are minted on this read' })
  @ApiNotFoundResponse({ description: 'No such episode (problem+json)' })
  get(@PathParam('id', UUID) id: string) {
    return this.episodes.get(id);
  }

  @Get(':id/steps')
  @ApiOperation({ summary: 'The sampled steps of one episode, in step order' })
  @ApiOkResponse({ type: PageOf(StepDto) })
  @ApiNotFoundResponse({ description: 'No such episode (problem+json)' })
  steps(@PathParam('id', UUID) id: string, @Query() query: PageQuery) {
    return this.episodes.steps(id, query);
  }

  @Get(':id/trajectory')
  @ApiOperation({ summary: 'Download the trajectory of one episode (redirect or stream)' })
  @ApiProduces('application/octet-stream')
  @ApiFoundResponse({ description: 'Redirect to a presigned (or public) URL of the trajectory object' })
  @ApiOkResponse({ description: 'The trajectory streamed by this API (filesystem store without a public URL); Range supported' })
  @ApiNotFoundResponse({ description: 'No such episode, or it has no trajectory (problem+json)' })
  trajectory(@PathParam('id', UUID) id: string, @Req() request: ObjectRequest, @Res() response: ObjectResponse): Promise<void> {
    return this.episodes.sendTrajectory(id, request, response);
  }
}
