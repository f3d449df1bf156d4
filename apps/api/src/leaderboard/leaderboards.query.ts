import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CompetitionFilter, HotkeyFilter } from '../http/common-query.js';
import { Conforms, QueryInt } from '../http/fields.js';
import { BENCHMARK_NAME } from '../http/formats.js';
import { PageQuery } from '../http/pagination.js';
import { OrderField, type SortOrder } from '../http/sort-order.js';

export const submissionBoardSorts = ['successRate', 'meanReward', 'score'] as const;
export type SubmissionBoardSort = (typeof submissionBoardSorts)[number];

export class SubmissionLeaderboardQuery extends PageQuery {
  @CompetitionFilter() competition?: string;
  @HotkeyFilter('Miner') miner?: string;
  @HotkeyFilter('Only results this validator reported') validator?: string;

  @ApiPropertyOptional({ description: 'Only results of jobs of this benchmark' })
  @IsOptional()
  @Conforms(BENCHMARK_NAME)
  benchmark?: string;

  @ApiPropertyOptional({
    enum: submissionBoardSorts,
    default: 'successRate',
    description:
      'successRate and meanReward are episode-weighted over the kept results; score is the latest ScoresComputed entry for the submission (submissions without one sort last). Ties: lowest block, earliest receipt',
  })
  @IsOptional()
  @IsIn(submissionBoardSorts)
  sort: SubmissionBoardSort = 'successRate';

  @OrderField() order: SortOrder = 'desc';

  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1, description: 'Only submissions with at least this many results (after the filters)' })
  @IsOptional()
  @QueryInt(1, 10_000)
  minResults = 1;
}
