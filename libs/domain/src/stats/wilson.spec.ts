import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { wilsonInterval } from './wilson.js';

// Golden values computed independently with /usr/bin/python3 from the textbook formula
// (centre (p + z²/2n)/(1 + z²/n), half-width z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n), z = 1.959963984540054);
// 81/100 → [0.7222, 0.8749] also matches published Wilson tables.
const GOLDEN: [number, number, number, number][] = [
  [0, 10, 0.0, 0.2775327998628892],
  [10, 10, 0.7224672001371107, 1],
  [5, 10, 0.236593090512564, 0.7634069094874361],
  [1, 2, 0.09453120573423074, 0.9054687942657693],
  [81, 100, 0.7222115462093562, 0.8748524849023126],
  [2, 2, 0.34238022750665303, 1.0],
  [0, 1, 0.0, 0.7934506856227626],
];

describe('wilsonInterval', () => {
  it.each(GOLDEN)('%i of %i successes: [%f, %f]', (k, n, low, high) => {
    const interval = wilsonInterval(k, n);
    expect(interval.low).toBeCloseTo(low, 12);
    expect(interval.high).toBeCloseTo(high, 12);
  });

  it('takes another z (99%: 5 of 10 is [0.1842, 0.8158])', () => {
    const interval = wilsonInterval(5, 10, 2.5758293035489004);
    expect(interval.low).toBeCloseTo(0.1842255182472355, 12);
    expect(interval.high).toBeCloseTo(0.8157744817527646, 12);
  });

  it('no trials: all of [0, 1]', () => expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 }));

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0.5, 2)).toThrow(RangeError);
  });

  it('always lies in [0, 1] and contains the observed rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const k = Math.floor(f * n);
        const { low, high } = wilsonInterval(k, n);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(k / n + 1e-12);
        expect(high).toBeGreaterThanOrEqual(k / n - 1e-12);
      }),
    );
  });
});
