/** A commit waiting for its reveal: everything `reveal_weights` needs, as `WeightsCommitted` recorded it. */
export interface PendingCommit {
  block: number;
  upToSequence: number;
  commitHash: string;
  uids: number[];
  weights: number[];
  salt: number[];
  /** u64 as a decimal string. */
  versionKey: string;
  revealFromBlock: number;
  revealUntilBlock: number;
}

export interface WeightAttempt {
  /** Block of the set or commit, or the head a failed attempt was made at. */
  block: number;
  upToSequence: number;
  /** `unrevealed`: a commit whose reveal failed or whose window passed. */
  outcome: 'set' | 'committed' | 'unrevealed' | 'failed';
}

/**
 * One validator's weight setting on one subnet, folded from its own `weights` aggregate (`<netuid>:<validator>`)
 * only: the chain's clock and the scoring inputs arrive with each decision, so a restarted validator decides
 * exactly as the one before it would have.
 */
export interface WeightSettingState {
  readonly netuid: number;
  readonly validator: string;
  /** Position of the aggregate (events, stream sequence of the last), for the next append's concurrency check. */
  version: number;
  lastSequence: number;
  /** The last `WeightsComputed`. */
  computed: { upToSequence: number; uids: number[]; weights: number[] } | null;
  /** A `WeightsComputed` with no outcome after it: a crash between computing and submitting. */
  awaitingOutcome: boolean;
  lastAttempt: WeightAttempt | null;
  /** The last `WeightsSet` (direct or revealed). */
  lastSet: { block: number; upToSequence: number } | null;
  pending: PendingCommit | null;
}

export const weightsAggregateId = (netuid: number, validator: string): string => `${netuid}:${validator}`;

export const initialWeightSettingState = (netuid: number, validator: string): WeightSettingState => ({
  netuid,
  validator,
  version: 0,
  lastSequence: 0,
  computed: null,
  awaitingOutcome: false,
  lastAttempt: null,
  lastSet: null,
  pending: null,
});
