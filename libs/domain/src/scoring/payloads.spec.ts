import { describe, expect, it } from '@jest/globals';
import { validatePayload } from '#contracts';
import { scoresComputedData, weightsComputedData } from './payloads.js';
import { computeScores, defaultScoringPolicy } from './scores.js';
import { rev, ss58, ScoringWorld, VA } from './testing/scoring-world.js';
import { computeWeights } from './weights.js';

describe('event payloads', () => {
  it('given a champion, an unscored entry and an unregistered hotkey, when turned into ScoresComputed and WeightsComputed, then both validate and say who won and why', () => {
    const [M1, M2, M3] = ['MinerOne', 'MinerTwo', 'MinerThree'].map(ss58) as [string, string, string];
    const world = new ScoringWorld().competition('comp', { weightShare: 0.75 }).metagraph([M1, M2]);
    world.result(world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 })[0]!, VA, 7, 10);
    world.submit({ id: 's2', hotkey: M2, revision: rev('b'), block: 101 });
    world.submit({ id: 's3', hotkey: M3, revision: rev('c'), block: 102 });
    const scores = computeScores(world.state, defaultScoringPolicy, world.state.sequence);
    const weights = computeWeights(scores, world.state.metagraph, defaultScoringPolicy);

    const computed = validatePayload('ScoresComputed', scoresComputedData(7, VA, scores, weights));
    expect(computed).toMatchObject({
      upToSequence: world.state.sequence,
      scores: [
        { uid: 1, hotkey: M1, score: 0.7, role: 'champion', rank: 1, eligible: true, validators: [VA], reason: 'first eligible entry in commitment order' },
        { uid: 2, hotkey: M2, score: 0, role: 'ineligible', eligible: false, reason: 'not scored: quorum not met: 0 of 1 validators reported every benchmark' },
      ],
      weights: [
        { uid: 0, weight: 0.25 },
        { uid: 1, weight: 0.75 },
      ],
    });
    expect((computed.scores as unknown[]).length).toBe(2);
    expect(validatePayload('WeightsComputed', weightsComputedData(7, VA, 42, weights))).toEqual({
      netuid: 7,
      validator: VA,
      upToSequence: 42,
      uids: [0, 1],
      weights: [0.25, 0.75],
    });
  });

  it('refuses a WeightsComputed whose uids and weights differ in length, naming the field', () => {
    expect(() => validatePayload('WeightsComputed', { netuid: 7, validator: VA, upToSequence: 1, uids: [0, 1], weights: [1] })).toThrow(
      /weights: uids and weights must have the same length/,
    );
  });
});
