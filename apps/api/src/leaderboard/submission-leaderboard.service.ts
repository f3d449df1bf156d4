import { Injectable } from '@nestjs/common';
import { LeaderboardsRepository, type Page } from '#read-models';
import { sqlDirection } from '../http/sort-order.js';
import type { SubmissionLeaderboardEntryDto } from './leaderboard.dto.js';
import { toSubmissionLeaderboardEntryDto } from './leaderboard.mapper.js';
import type { SubmissionLeaderboardQuery } from './leaderboards.query.js';

/**
 * Submissions ranked over their results, after the filters (competition, miner, benchmark of the job, validator
 * that reported) and a minimum number of results. Nothing is cached here: the filters change what is aggregated
 * (the per-competition board is the cached one).
 */
@Injectable()
export class SubmissionLeaderboardService {
  constructor(private readonly leaderboards: LeaderboardsRepository) {}

  async leaderboard(query: SubmissionLeaderboardQuery): Promise<Page<SubmissionLeaderboardEntryDto>> {
    const filter = {
      competitionId: query.competition,
      hotkey: query.miner,
      benchmarkName: query.benchmark,
      validator: query.validator,
      minResults: query.minResults,
    };
    const page = await this.leaderboards.submissionRanking(filter, { by: query.sort, direction: sqlDirection(query.order) }, query);
    return { ...page, items: page.items.map(toSubmissionLeaderboardEntryDto) };
  }
}
