import { newEvent, type NewEvent } from '#contracts';
import { scoresComputedData, weightsComputedData } from '../scoring/payloads.js';
import { computeScores, type ScoringPolicy } from '../scoring/scores.js';
import type { ScoringState } from '../scoring/state.js';
import { computeWeights } from '../scoring/weights.js';

/**
 * `ScoresComputed` and `WeightsComputed` of `validator` as of a stream sequence: what the validator records before
 * it submits, and what anyone re-derives from the same log. With nobody eligible the burn uid takes everything
 * (scoring policy); with nobody in the metagraph who can receive weight the vector is empty.
 */
export const weightComputation = (scoring: ScoringState, policy: ScoringPolicy, validator: string, asOfSequence: number): NewEvent[] => {
  const scores = computeScores(scoring, policy, asOfSequence);
  const vector = computeWeights(scores, scoring.metagraph, policy);
  return [
    newEvent('ScoresComputed', scoresComputedData(scoring.netuid, validator, scores, vector)),
    newEvent('WeightsComputed', weightsComputedData(scoring.netuid, validator, scores.upToSequence, vector)),
  ];
};
