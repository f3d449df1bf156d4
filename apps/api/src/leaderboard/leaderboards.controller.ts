import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageOf, PageQuery } from '../http/pagination.js';
import { OverallLeaderboardEntryDto, SubmissionLeaderboardEntryDto } from './leaderboard.dto.js';
import { LeaderboardService } from './leaderboard.service.js';
import { SubmissionLeaderboardQuery } from './leaderboards.query.js';
import { SubmissionLeaderboardService } from './submission-leaderboard.service.js';

@ApiTags('leaderboard')
@Controller('leaderboard')
export class LeaderboardsController {
  constructor(
    private readonly miners: LeaderboardService,
    private readonly submissions: SubmissionLeaderboardService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Miners across every active competition, by share-weighted success rate' })
  @ApiOkResponse({ type: PageOf(OverallLeaderboardEntryDto) })
  overall(@Query() query: PageQuery) {
    return this.miners.overall(query);
  }

  @Get('submissions')
  @ApiOperation({ summary: 'Submissions ranked by success rate, mean reward or score, filtered by competition, miner, benchmark and validator' })
  @ApiOkResponse({ type: PageOf(SubmissionLeaderboardEntryDto) })
  submissionBoard(@Query() query: SubmissionLeaderboardQuery) {
    return this.submissions.leaderboard(query);
  }
}
