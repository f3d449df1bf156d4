import type { EventData } from '#contracts';
import type { Scores } from './scores.js';
import type { WeightVector } from './weights.js';

/**
 * The ScoresComputed payload of `scores` and `weights`, as `validator` would append it. Entries of hotkeys not in
 * the metagraph (uid null) cannot be named by uid and are left out; unscored entries carry score 0.
 */
export const scoresComputedData = (netuid: number, validator: string, scores: Scores, weights: WeightVector): EventData<'ScoresComputed'> => ({
  netuid,
  validator,
  upToSequence: scores.upToSequence,
  scores: scores.competitions.flatMap((c) =>
    c.entries.flatMap((e) =>
      e.uid === null
        ? []
        : [
            {
              uid: e.uid,
              hotkey: e.hotkey,
              competitionId: e.competitionId,
              score: e.score ?? 0,
              submissionId: e.submissionId,
              revision: e.revision,
              ...(e.interval ? { interval: e.interval } : {}),
              validators: e.validators,
              outliers: e.outliers,
              eligible: e.eligible,
              role: e.role,
              ...(e.rank !== null ? { rank: e.rank } : {}),
              reason: e.reason,
            },
          ],
    ),
  ),
  weights: weights.uids.map((uid, i) => ({ uid, weight: weights.weights[i]! })),
});

export const weightsComputedData = (netuid: number, validator: string, upToSequence: number, weights: WeightVector): EventData<'WeightsComputed'> => ({
  netuid,
  validator,
  upToSequence,
  uids: weights.uids,
  weights: weights.weights,
});
