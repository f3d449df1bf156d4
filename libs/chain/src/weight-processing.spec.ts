import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ChainError } from './errors.js';
import { normalizeMaxWeight, processWeights, roundHalfEven } from './weight-processing.js';
import { weightsForChain } from './weights.js';

/**
 * Golden vectors worked out by hand from the Bittensor SDK's `process_weights` / `normalize_max_weight` /
 * `convert_weights_and_uids_for_emit` (bittensor/utils/weight_utils.py); each comment shows the arithmetic.
 */
const dense = (n: number, set: Record<number, number>) => Array.from({ length: n }, (_, uid) => ({ uid, weight: set[uid] ?? 0 }));

describe('chain-side weight processing (the SDK’s process_weights_for_netuid)', () => {
  it('pads a vector below MinAllowedWeights: every uid 1e-5 plus its weight', () => {
    // [1e-5, 1+1e-5, 1e-5, 1e-5, 1e-5]; limit 1 clips nothing; max-upscaled 1e-5/(1+1e-5)·65535 = 0.655 → 1.
    expect(weightsForChain([{ uid: 1, weight: 1 }], { neurons: 5, minAllowedWeights: 3, maxWeightsLimit: 65535 })).toEqual({
      uids: [0, 1, 2, 3, 4],
      values: [1, 65535, 1, 1, 1],
    });
  });

  it('clips at MaxWeightsLimit: the largest weight is cut until it is the limit after renormalising', () => {
    // limit L = 32768/65535. Sorted [.1,.1,.1,.7]: ratios .1/(.3+.1) = .25 ×3 < L, .7/1 > L → 3 kept;
    // cutoff = (L·0.3 − 1e-7)/(1 − L) ≈ 0.30001, so 0.7 → 0.30001; 0.1/0.30001·65535 = 21844.3 → 21844.
    const fitted = processWeights(dense(4, { 0: 0.7, 1: 0.1, 2: 0.1, 3: 0.1 }), { neurons: 4, minAllowedWeights: 1, maxWeightsLimit: 32768 });
    expect(fitted[0]!.weight).toBeCloseTo(32768 / 65535, 6);
    expect(weightsForChain(dense(4, { 0: 0.7, 1: 0.1, 2: 0.1, 3: 0.1 }), { neurons: 4, minAllowedWeights: 1, maxWeightsLimit: 32768 })).toEqual({
      uids: [0, 1, 2, 3],
      values: [65535, 21844, 21844, 21844],
    });
  });

  it('keeps a sparse vector that needs no clipping as it is, zeros dropped', () => {
    // L = 26214/65535 = 0.4 exactly: max .5 > L; ratios .2/(2·.2+.2) = .33 < L, .3/(.3+.5) = .375 < L, .5/1 → 2 kept;
    // cutoff = (0.4·0.5 − 1e-7)/(1 − 0.4) = 0.33333317; .3/.33333317·65535 = 58982.0, .2/… = 39321.3.
    expect(
      weightsForChain(
        [
          { uid: 2, weight: 0.5 },
          { uid: 5, weight: 0.3 },
          { uid: 9, weight: 0.2 },
          { uid: 4, weight: 0 },
        ],
        { neurons: 10, minAllowedWeights: 1, maxWeightsLimit: 26214 },
      ),
    ).toEqual({
      uids: [2, 5, 9],
      values: [65535, 58982, 39321],
    });
  });

  it.each([
    ['no positive weight', [{ uid: 0, weight: 0 }], 4, 1, 65535],
    ['a subnet smaller than MinAllowedWeights', [{ uid: 1, weight: 1 }], 3, 8, 65535],
    [
      'a limit no vector can meet (n × limit ≤ 1)',
      [
        { uid: 0, weight: 0.9 },
        { uid: 1, weight: 0.1 },
      ],
      2,
      1,
      32767,
    ],
  ])('falls back to uniform weights for %s', (_what, weights, neurons, minAllowedWeights, maxWeightsLimit) => {
    expect(weightsForChain(weights, { neurons, minAllowedWeights, maxWeightsLimit })).toEqual({
      uids: Array.from({ length: neurons }, (_, uid) => uid),
      values: Array.from({ length: neurons }, () => 65535),
    });
  });

  it('clips a 256-uid vector: 255 ones and one 1000 at limit 6554/65535', () => {
    // Sorted: 255 × 1/1255, then 1000/1255. Each small ratio is (1/1255)/((255−i)/1255 + (i+1)/1255) = 1/256 < L;
    // the large one 0.797 > L → 255 kept; cutoff = (255·L − 1255e-7)/(1 − L) ≈ 28.33; the max becomes L and
    // each 1 becomes 65535/cutoff = 65535·(1 − L)/(255·L) = 58981·65535/(255·6554) = 2312.83 → 2313.
    const { uids, values } = weightsForChain(dense(256, { ...Object.fromEntries(Array.from({ length: 255 }, (_, i) => [i, 1])), 255: 1000 }), {
      neurons: 256,
      minAllowedWeights: 1,
      maxWeightsLimit: 6554,
    });
    expect(uids).toEqual(Array.from({ length: 256 }, (_, uid) => uid));
    expect(values).toEqual([...Array.from({ length: 255 }, () => 2313), 65535]);
  });

  it('pads a 256-uid vector with two weights below MinAllowedWeights 8', () => {
    // 254 × 1e-5, uid 0: 0.75001, uid 7: 0.25001; limit 1; 0.25001/0.75001·65535 = 21845.96 → 21846; 1e-5/0.75001·65535 = 0.87 → 1.
    const { uids, values } = weightsForChain(dense(256, { 0: 0.75, 7: 0.25 }), { neurons: 256, minAllowedWeights: 8, maxWeightsLimit: 65535 });
    expect(uids).toHaveLength(256);
    expect(values).toEqual(Array.from({ length: 256 }, (_, uid) => (uid === 0 ? 65535 : uid === 7 ? 21846 : 1)));
  });

  it('pads and clips a 256-uid vector: both winners cut to the same level', () => {
    // Sum 1.00256, L = 16384/65535. The 0.25001 entry: 0.24937/(2·0.24937 + 254e-5/1.00256) = 0.4977 > L → 254 kept;
    // cutoff = (L·0.0025335 − 1e-7)/(1 − 2L)·1.00256 = 0.0012698; both winners → 65535, 1e-5/0.0012698·65535 = 516.1 → 516.
    const { values } = weightsForChain(dense(256, { 0: 0.75, 7: 0.25 }), { neurons: 256, minAllowedWeights: 8, maxWeightsLimit: 16384 });
    expect(values).toEqual(Array.from({ length: 256 }, (_, uid) => (uid === 0 || uid === 7 ? 65535 : 516)));
  });

  it('refuses a uid the subnet does not have, a subnet without neurons, and malformed entries', () => {
    expect(() => weightsForChain([{ uid: 5, weight: 1 }], { neurons: 3, minAllowedWeights: 1, maxWeightsLimit: 65535 })).toThrow(ChainError);
    expect(() => weightsForChain([{ uid: 5, weight: 1 }], { neurons: 3, minAllowedWeights: 1, maxWeightsLimit: 65535 })).toThrow(
      /uid 5 is not on a subnet of 3/,
    );
    expect(() => weightsForChain([{ uid: 0, weight: 1 }], { neurons: 0, minAllowedWeights: 1, maxWeightsLimit: 65535 })).toThrow(/no neurons/);
    expect(() => weightsForChain([{ uid: 0, weight: -1 }], { neurons: 3, minAllowedWeights: 1, maxWeightsLimit: 65535 })).toThrow(/finite non-negative/);
    expect(() =>
      weightsForChain(
        [
          { uid: 0, weight: 1 },
          { uid: 0, weight: 1 },
        ],
        { neurons: 3, minAllowedWeights: 1, maxWeightsLimit: 65535 },
      ),
    ).toThrow(/appears twice/);
  });

  it('rounds halves to even like Python', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3]);
  });

  it('misses the limit, as the SDK does, when shares are near its epsilon (1e-7 of the total)', () => {
    // Worked by hand through the SDK's steps: sorted shares ≈ [0, 1e-22, 1.6e-14, 4.92e-6, 0.999995], limit 0.495.
    // With epsilon in the denominator even 4.92e-6 / (4.92e-6 + 4.92e-6 + 1e-7) ≈ 0.495 counts as "kept" (4 kept),
    // so cutoff_scale = (0.495 × 4.92e-6 − 1e-7) / (1 − 0.495) ≈ 4.63e-6: the two largest are cut to the same
    // level and each ends near 1/2, above the limit, though cutting three would have met it.
    const y = normalizeMaxWeight([1.652446225749211e-56, 8.13388816838512e-62, 2.6240025459328047e-70, 1.7479465315038026e-78, 0], 32438 / 65535);
    expect(y[0]).toBeCloseTo(0.5, 6);
    expect(y[1]).toBeCloseTo(0.5, 6);
    expect(Math.max(...y)).toBeGreaterThan(32438 / 65535);
  });

  it('always sums to 1 and never exceeds the limit when one can be met, for shares well above the SDK epsilon (fuzzed)', () => {
    fc.assert(
      fc.property(
        // Nonzero weights in [1, 1000] over at most 300 entries keep every nonzero share ≥ 3.3e-6, 33× the epsilon.
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1000, noNaN: true })), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 65535 }),
        (x, limitU16) => {
          const limit = limitU16 / 65535;
          const y = normalizeMaxWeight(x, limit);
          expect(y.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
          if (x.length * limit > 1 && x.some((v) => v > 0)) expect(Math.max(...y)).toBeLessThanOrEqual(limit + 1e-6);
        },
      ),
    );
  });
});
