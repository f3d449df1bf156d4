import type { MinerStanding, SubmissionStanding } from '#read-models';
import type { LeaderboardEntryDto, SubmissionLeaderboardEntryDto } from './leaderboard.dto.js';

/** A miner's standing as served; every field named. */
export const toLeaderboardEntryDto = (m: MinerStanding): LeaderboardEntryDto => ({
  rank: m.rank,
  hotkey: m.hotkey,
  successRate: m.successRate,
  meanReward: m.meanReward,
  validators: m.validators,
  episodes: m.episodes,
  firstSubmissionId: m.firstSubmissionId,
  firstBlock: m.firstBlock,
  firstSubmittedAt: m.firstSubmittedAt,
});

/** A submission's standing as served; every field named. */
export const toSubmissionLeaderboardEntryDto = (s: SubmissionStanding): SubmissionLeaderboardEntryDto => ({
  rank: s.rank,
  submissionId: s.submissionId,
  competitionId: s.competitionId,
  hotkey: s.hotkey,
  repo: s.repo,
  revision: s.revision,
  block: s.block,
  results: s.results,
  validators: s.validators,
  episodes: s.episodes,
  successRate: s.successRate,
  meanReward: s.meanReward,
  score: s.score,
  lastResultAt: s.lastResultAt,
});
