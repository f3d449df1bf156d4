import { Injectable } from '@nestjs/common';
import { CheckpointsRepository, CompetitionsRepository, LeaderboardsRepository, type Page, type PageRequest } from '#read-models';
import type { LeaderboardEntryDto, OverallLeaderboardEntryDto } from './leaderboard.dto.js';
import { toLeaderboardEntryDto } from './leaderboard.mapper.js';
import { competitionShares } from './competition-shares.js';

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
  private readonly rankings = new Map<string, Ranking>();

  constructor(
    private readonly leaderboards: LeaderboardsRepository,
    private readonly checkpoints: CheckpointsRepository,
    private readonly competitions: CompetitionsRepository,
  ) {}

  async leaderboard(competitionId: string, query: PageRequest): Promise<Page<LeaderboardEntryDto>> {
    const [, version] = await Promise.all([this.competitions.get(competitionId), this.checkpoints.version()]);
    const entries = await this.ranking(competitionId, version);
    return { items: entries.slice(query.offset, query.offset + query.limit), total: entries.length, limit: query.limit, offset: query.offset };
  }

  /**
   * Across active competitions: each miner's score is Σ share × its success rate on that competition's board (the
   * same cached rankings), so a competition weighs what it weighs in the emission. Ties: more competitions, then hotkey.
   */
  async overall(query: PageRequest): Promise<Page<OverallLeaderboardEntryDto>> {
    const [competitions, version] = await Promise.all([this.competitions.active(), this.checkpoints.version()]);
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
    return (await this.leaderboards.minerRanking(competitionId)).map(toLeaderboardEntryDto);
  }
}
