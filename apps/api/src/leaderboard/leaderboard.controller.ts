import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageOf, PageQuery } from '../http/pagination.js';
import { LeaderboardEntryDto } from './leaderboard.dto.js';
import { LeaderboardService } from './leaderboard.service.js';
import { PathParam } from '../http/fields.js';
import { COMPETITION_ID } from '../http/formats.js';

@ApiTags('competitions')
@Controller('competitions/:id/leaderboard')
export class LeaderboardController {
  constructor(private readonly leaderboard: LeaderboardService) {}

  @Get()
  @ApiOperation({ summary: 'Miners of one competition ranked by success rate across validators; ties to the earliest submission' })
  @ApiOkResponse({ type: PageOf(LeaderboardEntryDto) })
  @ApiNotFoundResponse({ description: 'No such competition (problem+json)' })
  get(@PathParam('id', COMPETITION_ID) id: string, @Query() query: PageQuery) {
    return this.leaderboard.leaderboard(id, query);
  }
}
