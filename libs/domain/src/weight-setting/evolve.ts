import type { RecordedEvent } from '#contracts';
import type { WeightSettingState } from './state.js';

/** The event types of the `weights` aggregate; the weight-setting process folds its own ones. */
export const weightSettingInputs = ['ScoresComputed', 'WeightsComputed', 'WeightsCommitted', 'WeightsSet', 'WeightsSetFailed'] as const;

const ours = (state: WeightSettingState, event: RecordedEvent): boolean =>
  (weightSettingInputs as readonly string[]).includes(event.type) &&
  (event.data as { netuid?: number }).netuid === state.netuid &&
  (event.data as { validator?: string }).validator === state.validator;

/**
 * Folds one recorded event of this validator's `weights` aggregate; any other event leaves the state as it was.
 * Never throws. A `WeightsSet` or `WeightsSetFailed` naming a commit closes that commit (revealed, failed, or its
 * window missed); any other outcome closes the attempt the last `WeightsComputed` opened.
 */
export const evolveWeightSetting = (state: WeightSettingState, event: RecordedEvent): WeightSettingState => {
  if (!ours(state, event)) return state;
  const next: WeightSettingState = { ...state, version: state.version + 1, lastSequence: Math.max(state.lastSequence, event.streamSequence) };
  switch (event.type) {
    case 'WeightsComputed': {
      const { upToSequence, uids, weights } = event.data;
      return { ...next, computed: { upToSequence, uids, weights }, awaitingOutcome: true };
    }
    case 'WeightsCommitted': {
      const { block, upToSequence, commitHash, uids, weights, salt, versionKey, revealFromBlock, revealUntilBlock } = event.data;
      return {
        ...next,
        awaitingOutcome: false,
        lastAttempt: { block, upToSequence, outcome: 'committed' },
        pending: { block, upToSequence, commitHash, uids, weights, salt, versionKey, revealFromBlock, revealUntilBlock },
      };
    }
    case 'WeightsSet': {
      const { block, upToSequence, commitBlock } = event.data;
      const lastSet = { block, upToSequence };
      if (commitBlock === undefined) return { ...next, awaitingOutcome: false, lastAttempt: { block, upToSequence, outcome: 'set' }, lastSet };
      return state.pending?.block === commitBlock
        ? { ...next, lastSet, pending: null, lastAttempt: { block: commitBlock, upToSequence, outcome: 'set' } }
        : { ...next, lastSet };
    }
    case 'WeightsSetFailed': {
      const { block, upToSequence, commitBlock } = event.data;
      if (commitBlock !== undefined) {
        return state.pending?.block === commitBlock
          ? { ...next, pending: null, lastAttempt: { block: commitBlock, upToSequence, outcome: 'unrevealed' } }
          : next;
      }
      return { ...next, awaitingOutcome: false, lastAttempt: { block: block ?? state.lastAttempt?.block ?? 0, upToSequence, outcome: 'failed' } };
    }
    default:
      return next;
  }
};
