import { Inject, Injectable } from '@nestjs/common';
import { JobEntity, ResultEntity, SubmissionEntity, WeightsHistoryEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import type { Page } from '../http/pagination.js';
import { sqlDirection } from '../http/sort-order.js';
import { tableOf } from '../http/sql.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { SubmissionLeaderboardEntryDto } from './leaderboard.dto.js';
import type { SubmissionBoardSort, SubmissionLeaderboardQuery } from './leaderboards.query.js';

const sortColumn: Record<SubmissionBoardSort, string> = { successRate: 'p.success_rate', meanReward: 'p.mean_reward', score: 'sc.score' };

interface Row {
  submission_id: string;
  competition_id: string;
  hotkey: string;
  repo: string | null;
  revision: string | null;
  block: string;
  results: number;
  validators: number;
  episodes: string;
  success_rate: number;
  mean_reward: number;
  score: number | null;
  last_result_at: Date;
  total: string;
}

/**
 * Submissions ranked over their results, after the filters (competition, miner, benchmark of the job, validator
 * that reported) and a minimum number of results. One query: the filters change what is aggregated, so nothing is
 * worth caching here (the per-competition board is the cached one).
 */
@Injectable()
export class SubmissionLeaderboardService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async leaderboard(query: SubmissionLeaderboardQuery): Promise<Page<SubmissionLeaderboardEntryDto>> {
    const t = (entity: Parameters<typeof tableOf>[1]) => tableOf(this.readModels, entity);
    const direction = sqlDirection(query.order);
    const rows: Row[] = await this.readModels.query(
      `WITH kept AS (
         SELECT r.* FROM ${t(ResultEntity)} r JOIN ${t(JobEntity)} j ON j.id = r.job_id
          WHERE ($1::text IS NULL OR r.competition_id = $1) AND ($2::text IS NULL OR r.hotkey = $2)
            AND ($3::text IS NULL OR j.benchmark_name = $3) AND ($4::text IS NULL OR r.validator = $4)
       ), per_submission AS (
         SELECT submission_id, COUNT(*)::int AS results, COUNT(DISTINCT validator)::int AS validators, SUM(episodes) AS episodes,
                COALESCE(SUM(success_rate * episodes) / NULLIF(SUM(episodes), 0), 0) AS success_rate,
                COALESCE(SUM(mean_reward * episodes) / NULLIF(SUM(episodes), 0), 0) AS mean_reward,
                MAX(completed_at) AS last_result_at
           FROM kept GROUP BY submission_id HAVING COUNT(*) >= $5
       ), latest_scores AS (
         SELECT scores FROM ${t(WeightsHistoryEntity)} WHERE scores IS NOT NULL ORDER BY stream_sequence DESC LIMIT 1
       ), sc AS (
         SELECT DISTINCT ON (e->>'submissionId') (e->>'submissionId')::uuid AS submission_id, (e->>'score')::float8 AS score
           FROM latest_scores, jsonb_array_elements(latest_scores.scores) e WHERE e ? 'submissionId'
       )
       SELECT p.*, s.competition_id, s.hotkey, s.repo, s.revision, s.block, sc.score, COUNT(*) OVER () AS total
         FROM per_submission p JOIN ${t(SubmissionEntity)} s ON s.id = p.submission_id LEFT JOIN sc USING (submission_id)
        ORDER BY ${sortColumn[query.sort]} ${direction} NULLS LAST, s.block ASC, s.received_at ASC, s.id ASC
        LIMIT $6 OFFSET $7`,
      [query.competition ?? null, query.miner ?? null, query.benchmark ?? null, query.validator ?? null, query.minResults, query.limit, query.offset],
    );
    return {
      items: rows.map((row, index) => ({
        rank: query.offset + index + 1,
        submissionId: row.submission_id,
        competitionId: row.competition_id,
        hotkey: row.hotkey,
        repo: row.repo,
        revision: row.revision,
        block: Number(row.block),
        results: row.results,
        validators: row.validators,
        episodes: Number(row.episodes),
        successRate: row.success_rate,
        meanReward: row.mean_reward,
        score: row.score,
        lastResultAt: row.last_result_at,
      })),
      total: rows.length > 0 ? Number(rows[0]!.total) : await this.countBeyond(query),
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** An offset past the end has no rows to carry the total: count alone. */
  private async countBeyond(query: SubmissionLeaderboardQuery): Promise<number> {
    if (query.offset === 0) return 0;
    return (await this.leaderboard({ ...query, offset: 0, limit: 1 })).total;
  }
}
