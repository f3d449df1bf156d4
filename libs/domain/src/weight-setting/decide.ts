import { newEvent, type NewEvent } from '#contracts';
import type { PendingCommit, WeightSettingState } from './state.js';

/** What the chain says at the finalized head, and how far the log has come, when the process decides. */
export interface WeightClock {
  /** The finalized head: an extrinsic sent now lands in `block + 1` at the earliest. */
  block: number;
  /** The highest stream sequence of scoring's inputs folded so far: the as-of of a computation now. */
  scoringSequence: number;
  /**
   * The highest sequence of a scoring input other than a metagraph snapshot (results, submissions, jobs,
   * competitions): news that sets weights at once. Snapshots come every few blocks and wait for the interval.
   */
  newsSequence: number;
  chain: {
    /** Whether the validator's hotkey holds a uid on the subnet. */
    registered: boolean;
    /** `CommitRevealWeightsEnabled`: commit then reveal, instead of `set_weights`. */
    commitRevealEnabled: boolean;
    /** First block a set or commit may land in: `LastUpdate + WeightsSetRateLimit`, 0 for a hotkey that never set. */
    nextAllowedBlock: number;
  };
}

export interface WeightSettingPolicy {
  /** Weights are set again this many blocks after the last attempt even when no scoring input arrived. */
  intervalBlocks: number;
}

export type WeightSettingDecision =
  | { kind: 'wait'; reason: string }
  /** Reveal the pending commit (its window is open for the next block). */
  | { kind: 'reveal'; commit: PendingCommit }
  /** Append these facts (a reveal window that passed) and decide again. */
  | { kind: 'record'; events: NewEvent[] }
  /** Compute scores and weights as of `asOfSequence`, append them, then set (`set_weights`) or commit them. */
  | { kind: 'submit'; mode: 'set' | 'commit'; asOfSequence: number; reason: string };

/** Why weights are due now, or undefined when they are not. */
const due = (state: WeightSettingState, clock: WeightClock, policy: WeightSettingPolicy): string | undefined => {
  if (state.awaitingOutcome)
    return `the vector computed up to sequence ${state.computed?.upToSequence} has no outcome (stopped between computing and submitting)`;
  const last = state.lastAttempt;
  if (!last) return 'no weights were ever set or committed';
  if (last.outcome === 'unrevealed') return `the commit of block ${last.block} was never revealed`;
  const computedUpTo = state.computed?.upToSequence ?? 0;
  if (clock.newsSequence > computedUpTo) return `new scoring inputs up to sequence ${clock.newsSequence} (last computed up to ${computedUpTo})`;
  if (clock.block >= last.block + policy.intervalBlocks)
    return `${clock.block - last.block} blocks since the last attempt at block ${last.block} (interval ${policy.intervalBlocks})`;
  return undefined;
};

/**
 * The one next step of a validator's weight setting, from its own `weights` aggregate and the chain's clock. Total:
 * every state and clock gives a decision.
 * 1. Unregistered: wait (the chain would refuse).
 * 2. A pending commit: wait for its window, reveal inside it, or record that the window passed (the commit is
 *    dropped and the next decision commits again).
 * 3. Otherwise, when due (never set; a computed vector without outcome; a commit never revealed; news for scoring;
 *    `intervalBlocks` since the last attempt) and the rate limit lets the extrinsic land: submit, by commit when the
 *    subnet uses commit-reveal.
 */
export const decideWeightSetting = (state: WeightSettingState, clock: WeightClock, policy: WeightSettingPolicy): WeightSettingDecision => {
  const { netuid, validator } = state;
  const landing = clock.block + 1;
  if (!clock.chain.registered) return { kind: 'wait', reason: `${validator} is not registered on netuid ${netuid}` };
  const pending = state.pending;
  if (pending) {
    if (landing < pending.revealFromBlock) {
      return { kind: 'wait', reason: `the commit of block ${pending.block} reveals in blocks ${pending.revealFromBlock}-${pending.revealUntilBlock}` };
    }
    if (landing <= pending.revealUntilBlock) return { kind: 'reveal', commit: pending };
    return {
      kind: 'record',
      events: [
        newEvent('WeightsSetFailed', {
          netuid,
          validator,
          upToSequence: pending.upToSequence,
          block: clock.block,
          commitBlock: pending.block,
          reason: `the reveal window (blocks ${pending.revealFromBlock}-${pending.revealUntilBlock}) of the commit of block ${pending.block} passed before block ${landing}; committing again`,
        }),
      ],
    };
  }
  const because = due(state, clock, policy);
  if (!because) {
    const from = (state.lastAttempt?.block ?? 0) + policy.intervalBlocks;
    return { kind: 'wait', reason: `nothing new since sequence ${state.computed?.upToSequence ?? 0}; next refresh at block ${from}` };
  }
  if (landing < clock.chain.nextAllowedBlock) {
    return { kind: 'wait', reason: `rate limited: weights may land from block ${clock.chain.nextAllowedBlock} (due: ${because})` };
  }
  return { kind: 'submit', mode: clock.chain.commitRevealEnabled ? 'commit' : 'set', asOfSequence: clock.scoringSequence, reason: because };
};
