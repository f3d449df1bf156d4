import type { DataSource } from 'typeorm';
import { JobEntity, ResultEntity, SubmissionEntity, WeightsHistoryEntity } from '../entities/index.js';
import type { Page, PageRequest, SortDirection } from './page.js';
import { tableOf } from './sql.js';

/** A miner's place on one competition's board. */
export interface MinerStanding {
  /** 1 = best. */
  rank: number;
  hotkey: string;
  /** Mean over validators of each validator's episode-weighted success rate. */
  successRate: number;
  meanReward: number;
  validators: number;
  episodes: number;
  /** The earliest of its submissions with results: lowest block, then earliest receipt. */
  firstSubmissionId: string | null;
  firstBlock: number | null;
  firstSubmittedAt: Date | null;
}

export interface SubmissionBoardFilter {
  competitionId?: string;
  hotkey?: string;
  /** Only results of jobs of this benchmark. */
  benchmarkName?: string;
  /** Only results this validator reported. */
  validator?: string;
  /** Only submissions with at least this many results after the filters. */
  minResults: number;
}

export interface SubmissionBoardSort {
  /** score: the latest ScoresComputed entry of the submission (unscored ones sort last). */
  by: 'successRate' | 'meanReward' | 'score';
  direction: SortDirection;
}

/** A submission aggregated over the results the filters keep. */
export interface SubmissionStanding {
  /** 1 = best under the sort asked for. */
  rank: number;
  submissionId: string;
  competitionId: string;
  hotkey: string;
  repo: string | null;
  revision: string | null;
  block: number;
  results: number;
  validators: number;
  episodes: number;
  successRate: number;
  meanReward: number;
  score: number | null;
  lastResultAt: Date;
}

interface MinerRow {
  rank: string;
  hotkey: string;
  success_rate: number;
  mean_reward: number;
  validators: number;
  episodes: string;
  first_submission_id: string | null;
  first_block: string | null;
  first_submitted_at: Date | null;
}

interface SubmissionRow {
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

const sortColumn: Record<SubmissionBoardSort['by'], string> = { successRate: 'p.success_rate', meanReward: 'p.mean_reward', score: 'sc.score' };

/** Rankings aggregated from the results at read time (int8 aggregates come back as text: numbers here). */
export class LeaderboardsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private table(entity: Parameters<typeof tableOf>[1]): string {
    return tableOf(this.dataSource, entity);
  }

  /**
   * Every miner of the competition, best first: by the mean across validators of each validator's episode-weighted
   * success rate (one validator running more jobs does not outweigh the others); ties to the earliest submission
   * (lowest block, then earliest receipt), then hotkey.
   */
  async minerRanking(competitionId: string): Promise<MinerStanding[]> {
    const results = this.table(ResultEntity);
    const rows: MinerRow[] = await this.dataSource.query(
      `WITH per_validator AS (
         SELECT hotkey, validator,
                COALESCE(SUM(success_rate * episodes) / NULLIF(SUM(episodes), 0), 0) AS success_rate,
                COALESCE(SUM(mean_reward * episodes) / NULLIF(SUM(episodes), 0), 0) AS mean_reward,
                SUM(episodes) AS episodes
           FROM ${results} WHERE competition_id = $1 GROUP BY hotkey, validator
       ), miners AS (
         SELECT hotkey, AVG(success_rate) AS success_rate, AVG(mean_reward) AS mean_reward,
                COUNT(*)::int AS validators, SUM(episodes) AS episodes
           FROM per_validator GROUP BY hotkey
       ), first_submission AS (
         SELECT DISTINCT ON (r.hotkey) r.hotkey, s.id, s.block, s.received_at
           FROM ${results} r JOIN ${this.table(SubmissionEntity)} s ON s.id = r.submission_id
          WHERE r.competition_id = $1
          ORDER BY r.hotkey, s.block, s.received_at, s.id
       )
       SELECT ROW_NUMBER() OVER (ORDER BY m.success_rate DESC, f.block ASC NULLS LAST, f.received_at ASC NULLS LAST, m.hotkey) AS rank,
              m.hotkey, m.success_rate, m.mean_reward, m.validators, m.episodes,
              f.id AS first_submission_id, f.block AS first_block, f.received_at AS first_submitted_at
         FROM miners m LEFT JOIN first_submission f USING (hotkey)
        ORDER BY rank`,
      [competitionId],
    );
    return rows.map((row) => ({
      rank: Number(row.rank),
      hotkey: row.hotkey,
      successRate: row.success_rate,
      meanReward: row.mean_reward,
      validators: row.validators,
      episodes: Number(row.episodes),
      firstSubmissionId: row.first_submission_id,
      firstBlock: row.first_block === null ? null : Number(row.first_block),
      firstSubmittedAt: row.first_submitted_at,
    }));
  }

  /**
   * Submissions ranked over the results the filters keep; ties by lowest block, earliest receipt, then id. One
   * query: the filters change what is aggregated.
   */
  async submissionRanking(filter: SubmissionBoardFilter, sort: SubmissionBoardSort, page: PageRequest): Promise<Page<SubmissionStanding>> {
    const rows: SubmissionRow[] = await this.dataSource.query(
      `WITH kept AS (
         SELECT r.* FROM ${this.table(ResultEntity)} r JOIN ${this.table(JobEntity)} j ON j.id = r.job_id
          WHERE ($1::text IS NULL OR r.competition_id = $1) AND ($2::text IS NULL OR r.hotkey = $2)
            AND ($3::text IS NULL OR j.benchmark_name = $3) AND ($4::text IS NULL OR r.validator = $4)
       ), per_submission AS (
         SELECT submission_id, COUNT(*)::int AS results, COUNT(DISTINCT validator)::int AS validators, SUM(episodes) AS episodes,
                COALESCE(SUM(success_rate * episodes) / NULLIF(SUM(episodes), 0), 0) AS success_rate,
                COALESCE(SUM(mean_reward * episodes) / NULLIF(SUM(episodes), 0), 0) AS mean_reward,
                MAX(completed_at) AS last_result_at
           FROM kept GROUP BY submission_id HAVING COUNT(*) >= $5
       ), latest_scores AS (
         SELECT scores FROM ${this.table(WeightsHistoryEntity)} WHERE scores IS NOT NULL ORDER BY stream_sequence DESC LIMIT 1
       ), sc AS (
         SELECT DISTINCT ON (e->>'submissionId') (e->>'submissionId')::uuid AS submission_id, (e->>'score')::float8 AS score
           FROM latest_scores, jsonb_array_elements(latest_scores.scores) e WHERE e ? 'submissionId'
       )
       SELECT p.*, s.competition_id, s.hotkey, s.repo, s.revision, s.block, sc.score, COUNT(*) OVER () AS total
         FROM per_submission p JOIN ${this.table(SubmissionEntity)} s ON s.id = p.submission_id LEFT JOIN sc USING (submission_id)
        ORDER BY ${sortColumn[sort.by]} ${sort.direction === 'ASC' ? 'ASC' : 'DESC'} NULLS LAST, s.block ASC, s.received_at ASC, s.id ASC
        LIMIT $6 OFFSET $7`,
      [filter.competitionId ?? null, filter.hotkey ?? null, filter.benchmarkName ?? null, filter.validator ?? null, filter.minResults, page.limit, page.offset],
    );
    const items = rows.map((row, index) => ({
      rank: page.offset + index + 1,
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
    }));
    // An offset past the end has no row to carry the total: count with the first page.
    const total =
      rows.length > 0 ? Number(rows[0]!.total) : page.offset === 0 ? 0 : (await this.submissionRanking(filter, sort, { limit: 1, offset: 0 })).total;
    return { items, total, limit: page.limit, offset: page.offset };
  }
}
