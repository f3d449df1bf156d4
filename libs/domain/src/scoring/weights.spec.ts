import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { computeScores, defaultScoringPolicy, type Scores } from './scores.js';
import { rev, ss58, ScoringWorld, VA, VB, VC } from './testing/scoring-world.js';
import { computeWeights } from './weights.js';

const [M1, M2] = ['MinerOne', 'MinerTwo'].map(ss58) as [string, string];
const UNIT = 2 ** -32;

/** Two competitions: "a" (share 0.6) won by M1 (uid 1), "b" (share 0.3) won by nobody or by M2 (uid 2). */
const twoCompetitions = (bHasWinner: boolean) => {
  const world = new ScoringWorld().competition('comp-a', { weightShare: 0.6 }).competition('comp-b', { weightShare: 0.3 }).metagraph([M1, M2]);
  world.result(world.submit({ id: 'a1', hotkey: M1, revision: rev('a'), block: 100, competitionId: 'comp-a' })[0]!, VA, 7, 10);
  const [b] = world.submit({ id: 'b2', hotkey: M2, revision: rev('b'), block: 100, competitionId: 'comp-b' });
  if (bHasWinner) world.result(b!, VA, 7, 10);
  return world;
};
const sum = (weights: number[]) => weights.reduce((a, b) => a + b, 0);

describe('weights', () => {
  it('given a winner of a (0.6), no winner of b (0.3) and an owner share of 0.1, when weighted, then uid 1 gets 0.6 and the burn uid 0 the other 0.4, in 2^-32 units summing to exactly 1', () => {
    const world = twoCompetitions(false);
    const scores = computeScores(world.state, defaultScoringPolicy, world.state.sequence);
    const vector = computeWeights(scores, world.state.metagraph, { ...defaultScoringPolicy, ownerShare: 0.1 });
    // 0.6 · 2^32 = 2576980377.6 and 0.4 · 2^32 = 1717986918.4: floors leave one unit, which goes to the larger remainder (uid 1).
    expect(vector).toEqual({ uids: [0, 1], weights: [1717986918 * UNIT, 2576980378 * UNIT], burned: 1717986918 * UNIT });
    expect(sum(vector.weights)).toBe(1);
  });

  it('given both competitions won and shares 0.6 + 0.6 beside an owner share of 0.2, when weighted, then the competitions are scaled to 0.4 each', () => {
    const world = new ScoringWorld().competition('comp-a', { weightShare: 0.6 }).competition('comp-b', { weightShare: 0.6 }).metagraph([M1, M2]);
    world.result(world.submit({ id: 'a1', hotkey: M1, revision: rev('a'), block: 100, competitionId: 'comp-a' })[0]!, VA, 7, 10);
    world.result(world.submit({ id: 'b2', hotkey: M2, revision: rev('b'), block: 100, competitionId: 'comp-b' })[0]!, VA, 7, 10);
    const vector = computeWeights(computeScores(world.state, defaultScoringPolicy, world.state.sequence), world.state.metagraph, {
      ...defaultScoringPolicy,
      ownerShare: 0.2,
    });
    expect(vector.uids).toEqual([0, 1, 2]);
    expect(vector.weights.map((w) => +w.toFixed(9))).toEqual([0.2, 0.4, 0.4]);
    expect(sum(vector.weights)).toBe(1);
  });

  it('given a configured burn uid, when no competition has a winner, then everything goes to it', () => {
    const world = new ScoringWorld().competition('comp-a').metagraph([M1, M2]);
    const vector = computeWeights(computeScores(world.state, defaultScoringPolicy, world.state.sequence), world.state.metagraph, {
      ...defaultScoringPolicy,
      burnUid: 2,
    });
    expect(vector).toEqual({ uids: [2], weights: [1], burned: 1 });
  });

  it('given a burn uid that is not in the metagraph, when weighted, then only uids of the metagraph get weight, renormalised', () => {
    const world = twoCompetitions(false);
    const vector = computeWeights(computeScores(world.state, defaultScoringPolicy, world.state.sequence), world.state.metagraph, {
      ...defaultScoringPolicy,
      burnUid: 999,
    });
    expect(vector).toEqual({ uids: [1], weights: [1], burned: 0 });
  });

  it('given no metagraph, when weighted, then the vector is empty', () => {
    const scores: Scores = { upToSequence: 0, competitions: [] };
    expect(computeWeights(scores, null, defaultScoringPolicy)).toEqual({ uids: [], weights: [], burned: 0 });
  });
});

describe('properties', () => {
  const validators = [VA, VB, VC];
  const result = fc.record({ successes: fc.integer({ min: 0, max: 10 }), validator: fc.constantFrom(...validators) });

  it('scores and weights do not depend on the order in which validators’ results of a job arrive, and weights sum to exactly 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(result, { maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 3 }),
        fc.infiniteStream(fc.nat()),
        (perMiner, weightShare, ownerShare, minValidators, shuffles) => {
          const run = (permute: boolean) => {
            const miners = perMiner.map((_, i) => ss58(`Miner${'abcd'[i]}`));
            const world = new ScoringWorld().competition('comp', { weightShare, minValidators }).metagraph(miners);
            const jobs = perMiner.map((_, i) => world.submit({ id: `s${i}`, hotkey: miners[i]!, revision: rev('abcd'[i]!), block: 100 + i })[0]!);
            const results = perMiner.flatMap((rs, i) => rs.map((r) => ({ ...r, job: jobs[i]! })));
            const order = permute ? shuffle(results, shuffles) : results;
            for (const r of order) world.result(r.job, r.validator, r.successes, 10);
            const scores = computeScores(world.state, defaultScoringPolicy, world.state.sequence);
            return { scores, weights: computeWeights(scores, world.state.metagraph, { ...defaultScoringPolicy, ownerShare }) };
          };
          const inOrder = run(false);
          const shuffled = run(true);
          // Only the first result of a (job, validator) counts: shuffling duplicates changes which one, so compare
          // logs without duplicates, and always check the sum.
          expect(sum(shuffled.weights.weights)).toBe(1);
          if (perMiner.every((rs) => new Set(rs.map((r) => r.validator)).size === rs.length)) {
            expect(shuffled.scores.competitions).toEqual(inOrder.scores.competitions);
            expect(shuffled.weights).toEqual(inOrder.weights);
          }
        },
      ),
      { seed: 20261202, numRuns: 200 },
    );
  });
});

/** Fisher–Yates driven by a stream of naturals, so fast-check can shrink it. */
const shuffle = <T>(items: T[], stream: fc.Stream<number>): T[] => {
  const out = [...items];
  const it = stream[Symbol.iterator]();
  for (let i = out.length - 1; i > 0; i--) {
    const j = it.next().value! % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};
