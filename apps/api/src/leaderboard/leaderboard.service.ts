import { Inject, Injectable } from '@nestjs/common';
import { ResultEntity, SubmissionEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { CompetitionsService } from '../competitions/competitions.service.js';
import type { Page, PageQuery } from '../http/pagination.js';
import { tableOf } from '../http/sql.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { LeaderboardEntryDto } from './leaderboard.dto.js';

interface Row {
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

const toEntry = (row: Row): LeaderboardEntryDto => ({
  rank: Number(row.rank),
  hotkey: row.hotkey,
  successRate: row.success_rate,
  meanReward: row.mean_reward,
  validators: row.validators,
  episodes: Number(row.episodes),
  firstSubmissionId: row.first_submission_id,
  firstBlock: row.first_block === null ? null : Number(row.first_block),
  firstSubmittedAt: row.first_submitted_at,
});

/**
 * Ranks miners by the mean, across validators, of each validator's episode-weighted success rate (so one
 * validator running more jobs does not outweigh the others). Ties go to the earliest submission: lowest block,
 * then earliest receipt.
 */
@Injectable()
export class LeaderboardService {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly competitions: CompetitionsService,
  ) {}

  async leaderboard(competitionId: string, query: PageQuery): Promise<Page<LeaderboardEntryDto>> {
    await this.competitions.get(competitionId);
    const results = tableOf(this.readModels, ResultEntity);
    const submissions = tableOf(this.readModels, SubmissionEntity);
    const rows: Row[] = await this.readModels.query(
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
           FROM ${results} r JOIN ${submissions} s ON s.id = r.submission_id
          WHERE r.competition_id = $1
          ORDER BY r.hotkey, s.block, s.received_at, s.id
       )
       SELECT ROW_NUMBER() OVER (ORDER BY m.success_rate DESC, f.block ASC NULLS LAST, f.received_at ASC NULLS LAST, m.hotkey) AS rank,
              m.hotkey, m.success_rate, m.mean_reward, m.validators, m.episodes,
              f.id AS first_submission_id, f.block AS first_block, f.received_at AS first_submitted_at
         FROM miners m LEFT JOIN first_submission f USING (hotkey)
        ORDER BY rank LIMIT $2 OFFSET $3`,
      [competitionId, query.limit, query.offset],
    );
    const [{ total }] = await this.readModels.query(
      `SELECT COUNT(DISTINCT hotkey)::int AS total FROM ${results} WHERE competition_id = $1`,
      [competitionId],
    );
    return { items: rows.map(toEntry), total, limit: query.limit, offset: query.offset };
  }
}
