import { Inject, Injectable } from '@nestjs/common';
import { CompetitionEntity, ReadModelStore, ResultEntity, SubmissionEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { CompetitionsService } from '../competitions/competitions.service.js';
import type { Page, PageQuery } from '../http/pagination.js';
import { tableOf } from '../http/sql.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import { API_CONFIG, type ApiConfig } from '../api-config.js';
import type { LeaderboardEntryDto, OverallLeaderboardEntryDto } from './leaderboard.dto.js';
import { competitionShares } from './competition-shares.js';

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

/** Rankings kept at once (one per competition); the oldest computed goes first beyond. */
const MAX_RANKINGS = 100;

interface Ranking {
  /** The read models' version it was computed at: schema identity (a replay swaps it) and checkpoint. */
  version: string;
  entries: Promise<LeaderboardEntryDto[]>;
}

/**
 * Ranks miners by the mean, across validators, of each validator's episode-weighted success rate (so one
 * validator running more jobs does not outweigh the others). Ties go to the earliest submission: lowest block,
 * then earliest receipt.
 *
 * The ranking is an aggregation over every result of the competition, too slow to run per request. It is computed
 * once per version of the read models (the projector's checkpoint, and the schema's identity so a replay's swap
 * counts) and pages are cut from it: a page is never older than the checkpoint read at its request. Concurrent
 * requests at one version share one computation.
 */
@Injectable()
export class LeaderboardService {
  private readonly store: ReadModelStore;
  private readonly rankings = new Map<string, Ranking>();

  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly competitions: CompetitionsService,
  ) {
    this.store = new ReadModelStore(readModels, config.DATABASE_SCHEMA);
  }

  async leaderboard(competitionId: string, query: PageQuery): Promise<Page<LeaderboardEntryDto>> {
    const [, version] = await Promise.all([this.competitions.get(competitionId), this.version()]);
    const entries = await this.ranking(competitionId, version);
    return { items: entries.slice(query.offset, query.offset + query.limit), total: entries.length, limit: query.limit, offset: query.offset };
  }

  /**
   * Across active competitions: each miner's score is Σ share × its success rate on that competition's board (the
   * same cached rankings), so a competition weighs what it weighs in the emission. Ties: more competitions, then hotkey.
   */
  async overall(query: PageQuery): Promise<Page<OverallLeaderboardEntryDto>> {
    const [competitions, version] = await Promise.all([this.readModels.getRepository(CompetitionEntity).findBy({ active: true }), this.version()]);
    const shares = competitionShares(competitions);
    const miners = new Map<string, OverallLeaderboardEntryDto>();
    for (const { competitionId, share } of shares) {
      for (const entry of await this.ranking(competitionId, version)) {
        const miner = miners.get(entry.hotkey) ?? { rank: 0, hotkey: entry.hotkey, score: 0, competitions: [] };
        miner.score += share * entry.successRate;
        miner.competitions.push({ competitionId, share, rank: entry.rank, successRate: entry.successRate, meanReward: entry.meanReward });
        miners.set(entry.hotkey, miner);
      }
    }
    const ranked = [...miners.values()]
      .sort((a, b) => b.score - a.score || b.competitions.length - a.competitions.length || (a.hotkey < b.hotkey ? -1 : 1))
      .map((entry, index) => ({ ...entry, rank: index + 1 }));
    return { items: ranked.slice(query.offset, query.offset + query.limit), total: ranked.length, limit: query.limit, offset: query.offset };
  }

  private async version(): Promise<string> {
    const [generation, checkpoint] = await Promise.all([this.store.generation(this.readModels), this.store.checkpoint(this.readModels)]);
    return `${generation}:${checkpoint}`;
  }

  private ranking(competitionId: string, version: string): Promise<LeaderboardEntryDto[]> {
    const cached = this.rankings.get(competitionId);
    if (cached?.version === version) return cached.entries;
    const entries = this.rank(competitionId);
    this.rankings.delete(competitionId);
    this.rankings.set(competitionId, { version, entries });
    if (this.rankings.size > MAX_RANKINGS) this.rankings.delete(this.rankings.keys().next().value!);
    // A failed computation is not kept: the next request tries again.
    entries.catch(() => {
      if (this.rankings.get(competitionId)?.entries === entries) this.rankings.delete(competitionId);
    });
    return entries;
  }

  private async rank(competitionId: string): Promise<LeaderboardEntryDto[]> {
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
        ORDER BY rank`,
      [competitionId],
    );
    return rows.map(toEntry);
  }
}
