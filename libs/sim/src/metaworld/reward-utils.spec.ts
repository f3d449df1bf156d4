import { describe, expect, it } from '@jest/globals';
import { Rng } from '../core/rng.js';
import { gripperCagingReward } from './caging.js';
import { hamacherProduct, rectPrismTolerance, tolerance } from './reward-utils.js';
import { matrixToQuatXyzw, type Vec3 } from './vec.js';

describe('reward shaping (dm_control tolerance, Hamacher product)', () => {
  it('tolerance is 1 inside the bounds and 0.1 at one margin outside, for both sigmoids', () => {
    expect(tolerance(0.03, [0, 0.05], 0.2, 'long_tail')).toBe(1);
    expect(tolerance(0.25, [0, 0.05], 0.2, 'long_tail')).toBeCloseTo(0.1, 12);
    expect(tolerance(-0.2, [0, 0.05], 0.2, 'gaussian')).toBeCloseTo(0.1, 12);
    expect(tolerance(0.06, [0, 0.05], 0, 'long_tail')).toBe(0);
    // long_tail: 1 / ((d * sqrt(9))^2 + 1) at half a margin.
    expect(tolerance(0.15, [0, 0.05], 0.2, 'long_tail')).toBeCloseTo(1 / (1.5 ** 2 + 1), 12);
    expect(() => tolerance(0, [1, 0], 1, 'long_tail')).toThrow(RangeError);
    expect(() => tolerance(0, [0, 1], -1, 'long_tail')).toThrow(RangeError);
  });

  it('hamacher product is the t-norm ab / (a + b - ab) and rejects operands outside [0, 1]', () => {
    expect(hamacherProduct(0.5, 0.5)).toBeCloseTo(1 / 3, 12);
    expect(hamacherProduct(1, 0.3)).toBeCloseTo(0.3, 12);
    expect(hamacherProduct(0, 0)).toBe(0);
    expect(() => hamacherProduct(1.2, 0.5)).toThrow(RangeError);
  });

  it('rect prism tolerance is 1 outside the box and the product of axis fractions inside', () => {
    expect(rectPrismTolerance([2, 0, 0], [0, 0, 0], [1, 1, 1])).toBe(1);
    expect(rectPrismTolerance([0.5, 0.5, 0.5], [0, 0, 0], [1, 1, 1])).toBeCloseTo(0.125, 12);
    expect(rectPrismTolerance([0.5, 0.5, 0.5], [1, 1, 1], [0, 0, 0])).toBeCloseTo(0.125, 12);
  });

  it('caging reward is maximal when the pads straddle the object and the gripper closes on it', () => {
    const puck: { obj: Vec3; objInit: Vec3; initTcp: Vec3 } = { obj: [0, 0.6, 0.02], objInit: [0, 0.6, 0.02], initTcp: [0, 0.6, 0.2] };
    const params = { objRadius: 0.015, padSuccessThresh: 0.05, objectReachRadius: 0.01, xzThresh: 0.005, highDensity: true };
    const caged = gripperCagingReward({ ...puck, tcp: [0, 0.6, 0.02], leftPad: [0, 0.63, 0.02], rightPad: [0, 0.57, 0.02], gripEffort: 1 }, params);
    const far = gripperCagingReward({ ...puck, tcp: [0, 0.6, 0.2], leftPad: [0, 0.65, 0.2], rightPad: [0, 0.55, 0.2], gripEffort: 0 }, params);
    expect(caged).toBeCloseTo(1, 9);
    expect(far).toBeLessThan(0.2);
  });
});

describe('rotation matrix to quaternion (scipy convention, x y z w)', () => {
  it('gives identity, a 90° turn about z, and the sign scipy picks for a 180° turn', () => {
    expect(matrixToQuatXyzw([1, 0, 0, 0, 1, 0, 0, 0, 1])).toEqual([0, 0, 0, 1]);
    const q = matrixToQuatXyzw([0, -1, 0, 1, 0, 0, 0, 0, 1]);
    [0, 0, Math.SQRT1_2, Math.SQRT1_2].forEach((v, i) => expect(q[i]).toBeCloseTo(v, 12));
    expect(matrixToQuatXyzw([1, 0, 0, 0, -1, 0, 0, 0, -1])).toEqual([1, 0, 0, 0]);
  });
});

describe('seeded random numbers', () => {
  it('repeat per seed, differ across seeds, and stay in [low, high)', () => {
    const a = new Rng(7);
    const b = new Rng(7n);
    const xs = Array.from({ length: 1000 }, () => a.uniform(-0.1, 0.1));
    expect(Array.from({ length: 1000 }, () => b.uniform(-0.1, 0.1))).toEqual(xs);
    expect(new Rng(8).next()).not.toBe(new Rng(7).next());
    expect(xs.every((x) => x >= -0.1 && x < 0.1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
  });
});
