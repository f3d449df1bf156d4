import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { arbitraryLogs, goldenEvents } from '../../../contracts/src/testing/arbitrary-log.js';
import { foldScoring } from './evolve.js';
import { computeScores, defaultScoringPolicy } from './scores.js';
import { initialScoringState } from './state.js';
import { computeWeights } from './weights.js';

/** Totality, as in ../totality.spec.ts: scoring survives any valid event of the catalogue in any order. */
describe('scoring is total over the catalogue', () => {
  it('folding any log of the catalogue, scoring and weighting it never throws, and what is not folded is said', () => {
    const golden = goldenEvents();
    const netuid = golden.find((e) => e.type === 'MetagraphSynced')!.data.netuid;
    fc.assert(
      fc.property(arbitraryLogs(golden, { extraNetuids: [netuid + 1] }), fc.double({ min: 0, max: 1, noNaN: true }), (log, ownerShare) => {
        const state = initialScoringState(netuid);
        for (const event of log) {
          const unfolded = foldScoring(state, event);
          if (unfolded !== undefined) expect(unfolded).toMatch(/\S/);
          const scores = computeScores(state, defaultScoringPolicy, state.sequence);
          const weights = computeWeights(scores, state.metagraph, { ...defaultScoringPolicy, ownerShare });
          if (weights.uids.length > 0) expect(weights.weights.reduce((a, b) => a + b, 0)).toBe(1);
        }
      }),
      { seed: 20261201, numRuns: 300 },
    );
  });
});
