import type { CompetitionSettings, ScoreRole } from '#contracts';
import { Z_95, type Interval } from '../stats/wilson.js';
import { consensusOf, type Consensus } from './consensus.js';
import type { ScoredSubmission, ScoringState } from './state.js';

export interface ScoringPolicy {
  /** z of the intervals (default: 95%). */
  z: number;
  /** Share of every weight vector that goes to `burnUid` whatever the competitions (the owner's take). */
  ownerShare: number;
  /** Where the owner share and every undistributed share go (default uid 0, the subnet owner's). */
  burnUid: number;
}

export const defaultScoringPolicy: ScoringPolicy = { z: Z_95, ownerShare: 0, burnUid: 0 };

/** One submission's judgement: why it won or lost is in `reason`. */
export interface ScoreEntry {
  competitionId: string;
  submissionId: string;
  hotkey: string;
  /** The hotkey's uid in the latest metagraph, null when it is not registered. */
  uid: number | null;
  repo: string;
  revision: string;
  block: number;
  /** Consensus success rate; null when unscored. */
  score: number | null;
  meanReward: number | null;
  interval: Interval | null;
  validators: string[];
  outliers: string[];
  eligible: boolean;
  role: ScoreRole;
  /** 1 for the champion, 2.. for challengers by score; null when ineligible. */
  rank: number | null;
  reason: string;
}

export interface CompetitionScores {
  competitionId: string;
  weightShare: number;
  champion: ScoreEntry | null;
  /** Every submission of the competition, in commitment order (block, then hotkey, then submission id). */
  entries: ScoreEntry[];
}

export interface Scores {
  upToSequence: number;
  /** Every competition that exists, by id. */
  competitions: CompetitionScores[];
}

/** The settings of a competition that exists, or undefined. */
const settingsOf = (state: ScoringState, competitionId: string): CompetitionSettings | undefined => {
  const competition = state.competitions.get(competitionId)?.state;
  return competition && competition.status !== 'absent' ? competition.settings : undefined;
};

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Commitment order: the earlier block has priority; in one block the lower hotkey, then the lower submission id. */
const byPriority = (a: ScoredSubmission, b: ScoredSubmission): number =>
  a.block - b.block || compare(a.hotkey, b.hotkey) || compare(a.submissionId, b.submissionId);

const fmt = (x: number): string => String(Math.round(x * 10000) / 10000);

/** Why an entry may not compete, or undefined when it may. */
const disqualification = (
  submission: ScoredSubmission,
  earlier: readonly ScoredSubmission[],
  uid: number | null,
  consensus: Consensus,
  settings: CompetitionSettings,
): string | undefined => {
  const again = earlier.find((e) => e.hotkey === submission.hotkey && e.revision === submission.revision);
  if (again)
    return `re-commit of revision ${submission.revision}, which this hotkey entered in submission ${again.submissionId}; a (hotkey, revision) is judged once`;
  const original = earlier.find((e) => e.revision === submission.revision);
  if (original) return `copy of revision ${submission.revision}, first committed by ${original.hotkey} at block ${original.block}, which keeps priority`;
  if (uid === null) return 'hotkey is not registered in the latest metagraph';
  if (consensus.kind === 'unscored') return `not scored: ${consensus.reason}`;
  if (settings.minSuccessRate !== undefined && consensus.successRate < settings.minSuccessRate) {
    return `success rate ${fmt(consensus.successRate)} is below the competition's minimum ${settings.minSuccessRate}`;
  }
  if (settings.minMeanReward !== undefined && consensus.meanReward < settings.minMeanReward) {
    return `mean reward ${fmt(consensus.meanReward)} is below the competition's minimum ${settings.minMeanReward}`;
  }
  return undefined;
};

/**
 * The margin a challenger must beat the champion's score by: the champion's upper sampling error plus the
 * challenger's lower one (so that beating it means the challenger's lower bound exceeds the champion's upper
 * bound), clamped to [winMargin, maxMarginGap]; winMargin wins when the two clamps cross.
 */
export const requiredMargin = (
  champion: { score: number; interval: Interval },
  challenger: { score: number; interval: Interval },
  settings: CompetitionSettings,
): number => {
  const sampling = champion.interval.high - champion.score + (challenger.score - challenger.interval.low);
  return Math.max(settings.winMargin, Math.min(sampling, settings.maxMarginGap ?? Infinity));
};

type Scored = ScoreEntry & { score: number; interval: Interval };

const judgeCompetition = (
  state: ScoringState,
  competitionId: string,
  settings: CompetitionSettings,
  policy: ScoringPolicy,
  asOf: number,
): CompetitionScores => {
  const submissions = [...state.submissions.values()].filter((s) => s.competitionId === competitionId && s.sequence <= asOf).sort(byPriority);
  const entries: ScoreEntry[] = [];
  let champion: Scored | null = null;
  submissions.forEach((submission, i) => {
    const uid = state.metagraph?.neurons.get(submission.hotkey)?.uid ?? null;
    const consensus = consensusOf(state, submission, settings.minValidators, asOf, policy.z);
    const scored = consensus.kind === 'scored';
    const entry: ScoreEntry = {
      competitionId,
      submissionId: submission.submissionId,
      hotkey: submission.hotkey,
      uid,
      repo: submission.repo,
      revision: submission.revision,
      block: submission.block,
      score: scored ? consensus.successRate : null,
      meanReward: scored ? consensus.meanReward : null,
      interval: scored ? consensus.interval : null,
      validators: consensus.validators,
      outliers: scored ? consensus.outliers : [],
      eligible: false,
      role: 'ineligible',
      rank: null,
      reason: '',
    };
    entries.push(entry);
    const disqualified = disqualification(submission, submissions.slice(0, i), uid, consensus, settings);
    if (disqualified !== undefined) {
      entry.reason = disqualified;
      return;
    }
    const candidate = Object.assign(entry, { eligible: true }) as Scored;
    if (champion === null) {
      Object.assign(candidate, { role: 'champion', reason: 'first eligible entry in commitment order' });
      champion = candidate;
      return;
    }
    const margin = requiredMargin(champion, candidate, settings);
    const gain = candidate.score - champion.score;
    const whose = champion.hotkey === candidate.hotkey ? 'its own champion entry' : `champion ${champion.hotkey}`;
    if (gain > margin) {
      Object.assign(champion, { role: 'challenger', reason: `dethroned by ${candidate.hotkey} (submission ${candidate.submissionId})` });
      Object.assign(candidate, { role: 'champion', reason: `beat ${whose} (${fmt(champion.score)}) by ${fmt(gain)} > required margin ${fmt(margin)}` });
      champion = candidate;
    } else {
      Object.assign(candidate, {
        role: 'challenger',
        reason: `did not beat ${whose} (${fmt(champion.score)}) by more than the required margin ${fmt(margin)} (gain ${fmt(gain)})`,
      });
    }
  });
  supersede(entries);
  rank(entries);
  return { competitionId, weightShare: settings.weightShare, champion: entries.find((e) => e.role === 'champion') ?? null, entries };
};

/** A hotkey competes with its latest eligible revision (and keeps a champion entry until it is dethroned). */
const supersede = (entries: ScoreEntry[]): void => {
  const latest = new Map<string, ScoreEntry>();
  for (const entry of entries) if (entry.eligible) latest.set(entry.hotkey, entry);
  for (const entry of entries) {
    const newer = latest.get(entry.hotkey)!;
    if (entry.role === 'challenger' && newer !== entry) {
      Object.assign(entry, { eligible: false, role: 'ineligible', reason: `superseded by the hotkey's later revision ${newer.revision} (${entry.reason})` });
    }
  }
};

/** Champion first, then challengers by score, ties by commitment order (the entries' order). */
const rank = (entries: ScoreEntry[]): void => {
  const ranked = entries.filter((e) => e.role === 'challenger').map((e, order) => ({ e, order }));
  ranked.sort((a, b) => b.e.score! - a.e.score! || a.order - b.order);
  const champion = entries.find((e) => e.role === 'champion');
  if (champion) champion.rank = 1;
  ranked.forEach(({ e }, i) => (e.rank = i + (champion ? 2 : 1)));
};

/**
 * Every submission's judgement per competition, from what `state` folded with a stream sequence up to `asOfSequence`
 * (competition settings and the metagraph are the latest folded: fold the log up to `asOfSequence` to re-derive an
 * audit exactly). Pure and total.
 *
 * Rules, in commitment order (block, then hotkey, then submission id):
 *  - a (hotkey, revision) is judged once: a re-commit of it is ineligible;
 *  - a revision belongs to its earliest commitment: the same sha committed later by another hotkey is a copy;
 *  - an entry needs a registered hotkey, a quorum of `minValidators` validators that reported every benchmark,
 *    and a consensus (median) success rate and mean reward at or above `minSuccessRate` / `minMeanReward`;
 *  - the first eligible entry is champion; each later one challenges the champion of that moment and takes over
 *    only if it beats the champion's score by more than `requiredMargin` (strictly: a tie keeps the earlier entry);
 *  - a champion that commits a new revision is challenged by it like by anyone: it keeps the title (and the
 *    weight) with its old revision until a new revision wins by the margin;
 *  - a hotkey's older challenger entries are superseded by its latest eligible revision.
 */
export const computeScores = (state: ScoringState, policy: ScoringPolicy, asOfSequence: number): Scores => ({
  upToSequence: asOfSequence,
  competitions: [...state.competitions.keys()].sort(compare).flatMap((competitionId) => {
    const settings = settingsOf(state, competitionId);
    return settings ? [judgeCompetition(state, competitionId, settings, policy, asOfSequence)] : [];
  }),
});
