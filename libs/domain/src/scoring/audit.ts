import { canonicalJson, sha256Hex, type EventData, type EventType, type RecordedEvent } from '#contracts';
import { evolveScoring, scoringInputs } from './evolve.js';
import { scoresComputedData, weightsComputedData } from './payloads.js';
import { computeScores, defaultScoringPolicy, type ScoringPolicy } from './scores.js';
import { initialScoringState, type ScoringState } from './state.js';
import { computeWeights } from './weights.js';

/**
 * Every event type an audit of the weights reads: what scoring folds, the episodes behind the outcomes, and the
 * scoring events the log holds (to compare with what the audit re-derives).
 */
export const weightsAuditInputs = [
  ...scoringInputs,
  'EpisodeRecorded',
  'ScoresComputed',
  'WeightsComputed',
  'WeightsCommitted',
  'WeightsSet',
  'WeightsSetFailed',
] as const satisfies readonly EventType[];

/** The four stages from raw evidence to a weight vector, each committed to by one link of the chain. */
export interface AuditChainInputs {
  /** The episodes recorded for the jobs scoring knows, in log order. */
  episodes: unknown;
  /** The outcomes scoring counted (one per job and validator). */
  outcomes: unknown;
  /** The per-submission judgements the weights are derived from (the ScoresComputed `scores`). */
  scoreInputs: unknown;
  /** The weight vector (`uids`, `weights`). */
  weights: unknown;
}

export type AuditChain = Record<keyof AuditChainInputs, string>;

export const AUDIT_CHAIN_LINKS = ['episodes', 'outcomes', 'scoreInputs', 'weights'] as const satisfies readonly (keyof AuditChainInputs)[];

/**
 * The hash chain over an audit's inputs: each link is the sha256 of the canonical JSON of its stage (keys sorted,
 * no whitespace, UTF-8) followed by the previous link's hex digest (nothing before the first). Changing any stage
 * changes its link and every later one, so the last link commits to the whole derivation.
 */
export const auditHashChain = (inputs: AuditChainInputs): AuditChain => {
  let previous = '';
  const links = {} as AuditChain;
  for (const link of AUDIT_CHAIN_LINKS) links[link] = previous = sha256Hex(canonicalJson(inputs[link]) + previous);
  return links;
};

/** What an audit re-derives from the log up to one sequence. */
export interface WeightsDerivation {
  upToSequence: number;
  state: ScoringState;
  scores: EventData<'ScoresComputed'>;
  weights: EventData<'WeightsComputed'>;
  chainInputs: AuditChainInputs;
  chain: AuditChain;
}

/** The outcomes scoring counted, by job then validator (both sorted), as the chain commits to them. */
const countedOutcomes = (state: ScoringState) =>
  [...state.results.keys()]
    .sort()
    .flatMap((jobId) =>
      [...state.results.get(jobId)!.values()]
        .sort((a, b) => (a.validator < b.validator ? -1 : a.validator > b.validator ? 1 : 0))
        .map((r) => ({ jobId, validator: r.validator, episodes: r.episodes, successes: r.successes, meanReward: r.meanReward, sequence: r.sequence })),
    );

/** The episodes recorded for jobs scoring knows, in log order, with what decides an outcome. */
const recordedEpisodes = (events: readonly RecordedEvent[], state: ScoringState) =>
  events.flatMap((e) => {
    if (e.type !== 'EpisodeRecorded' || !state.jobs.has(e.data.jobId)) return [];
    const d = e.data;
    return [
      {
        sequence: e.streamSequence,
        episodeId: d.episodeId,
        jobId: d.jobId,
        validator: d.validator,
        task: d.task,
        episodeIndex: d.episodeIndex,
        seed: d.seed,
        success: d.success,
        totalReward: d.totalReward,
        trajectorySha256: d.trajectory?.sha256 ?? null,
      },
    ];
  });

/**
 * Re-derives the scores and the weight vector `validator` should have computed from every event of `events` up to
 * `upToSequence` (events after it are ignored), with the hash chain over the inputs. Pure: the same log gives the
 * same derivation on every machine.
 */
export const deriveWeights = (
  events: readonly RecordedEvent[],
  netuid: number,
  validator: string,
  upToSequence: number,
  policy: ScoringPolicy = defaultScoringPolicy,
): WeightsDerivation => {
  const upTo = events.filter((e) => e.streamSequence <= upToSequence);
  const state = upTo.reduce(evolveScoring, initialScoringState(netuid));
  const scores = computeScores(state, policy, upToSequence);
  const vector = computeWeights(scores, state.metagraph, policy);
  const scoresData = scoresComputedData(netuid, validator, scores, vector);
  const weights = weightsComputedData(netuid, validator, upToSequence, vector);
  const chainInputs: AuditChainInputs = {
    episodes: recordedEpisodes(upTo, state),
    outcomes: countedOutcomes(state),
    scoreInputs: scoresData.scores,
    weights: { uids: weights.uids, weights: weights.weights },
  };
  return { upToSequence, state, scores: scoresData, weights, chainInputs, chain: auditHashChain(chainInputs) };
};
