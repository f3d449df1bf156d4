import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { clampStep, frameIndexAt, markersOf, rowAt, seriesOf, spriteOffset } from './timeline.js';
import type { TimelineStep } from './trajectory.js';

const step = (n: number, over: Partial<TimelineStep> = {}): TimelineStep => ({
  step: n,
  reward: n / 10,
  success: false,
  terminated: false,
  truncated: false,
  action: [n, -n],
  nonFinite: false,
  ...over,
});

describe('frameIndexAt', () => {
  it('shows the last frame rendered at or before the step (docs/formats.md: 0, 8, …, 496, 500)', () => {
    const steps = [...Array.from({ length: 63 }, (_, i) => i * 8), 500];
    expect(frameIndexAt(steps, 0)).toBe(0);
    expect(frameIndexAt(steps, 7)).toBe(0);
    expect(frameIndexAt(steps, 8)).toBe(1);
    expect(frameIndexAt(steps, 499)).toBe(62);
    expect(frameIndexAt(steps, 500)).toBe(63);
  });

  it('agrees with a linear scan on any sorted frame list', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(1000), { minLength: 1 }), fc.nat(1100), (raw, at) => {
        const steps = [...raw].sort((a, b) => a - b);
        const expected = Math.max(
          0,
          steps.findLastIndex((s) => s <= at),
        );
        expect(frameIndexAt(steps, at)).toBe(expected);
      }),
    );
  });
});

describe('spriteOffset', () => {
  it('puts frame i at column i % columns, row ⌊i / columns⌋', () => {
    const layout = { columns: 8, frameWidth: 64, frameHeight: 48 };
    expect(spriteOffset(0, layout)).toEqual({ x: -0, y: -0 });
    expect(spriteOffset(9, layout)).toEqual({ x: -64, y: -48 });
    expect(spriteOffset(63, layout)).toEqual({ x: -448, y: -336 });
  });
});

describe('markersOf', () => {
  it('marks the first success only, every non-finite action, and how the episode ended', () => {
    const steps = [step(1), step(2, { nonFinite: true }), step(3, { success: true }), step(4, { success: true }), step(5, { truncated: true })];
    expect(markersOf(steps).map((m) => [m.kind, m.step])).toEqual([
      ['error', 2],
      ['success', 3],
      ['truncated', 5],
    ]);
  });

  it('has no success marker for an episode that never succeeded', () => {
    expect(markersOf([step(1), step(2, { terminated: true })]).map((m) => m.kind)).toEqual(['terminated']);
  });
});

describe('seriesOf and rowAt', () => {
  it('sums the rewards step by step and splits the action into one column per dimension', () => {
    const s = seriesOf([step(1), step(2), step(3, { success: true, action: [7] })]);
    expect(s.cumulative).toEqual([0.1, 0.1 + 0.2, 0.1 + 0.2 + 0.3]);
    expect(s.success).toEqual([0, 0, 1]);
    expect(s.actions).toEqual([
      [1, 2, 7],
      [-1, -2, Number.NaN],
    ]);
  });

  it('finds the sampled step at or before a step, and nothing at the reset', () => {
    const s = seriesOf([step(1), step(10), step(20)]);
    expect(rowAt(s, 0)).toBe(-1);
    expect(rowAt(s, 1)).toBe(0);
    expect(rowAt(s, 15)).toBe(1);
    expect(rowAt(s, 99)).toBe(2);
  });
});

describe('clampStep', () => {
  it('keeps a step from a URL or a drag inside 0 … last, as an integer', () => {
    expect([clampStep(-3, 10), clampStep(4.6, 10), clampStep(11, 10), clampStep(Number.NaN, 10)]).toEqual([0, 5, 10, 0]);
  });
});
