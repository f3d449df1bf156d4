import { describe, expect, it } from '@jest/globals';
import { sampledStepSchema } from '#contracts';
import { PendulumEnv } from '#sim';
import { sampledStepOf, sampleStepNumbers, scalarInfo } from './sampled-steps.js';

describe('sampleStepNumbers', () => {
  it('keeps every step of a short episode', () => {
    expect(sampleStepNumbers(5)).toEqual([1, 2, 3, 4, 5]);
    expect(sampleStepNumbers(1000)).toHaveLength(1000);
  });

  it('spreads the samples from the first step to the last, worked out by hand', () => {
    // 1 + ⌊i·9/3⌋ and 1 + ⌊i·10/3⌋ for i = 0..3
    expect(sampleStepNumbers(10, 4)).toEqual([1, 4, 7, 10]);
    expect(sampleStepNumbers(11, 4)).toEqual([1, 4, 7, 11]);
    const long = sampleStepNumbers(2500);
    expect(long).toHaveLength(1000);
    // i=1: 1+⌊2499/999⌋ = 3; i=2: 1+⌊4998/999⌋ = 6; i=3: 1+⌊7497/999⌋ = 8; i=998: 1+⌊2494002/999⌋ = 2497
    expect(long.slice(0, 4)).toEqual([1, 3, 6, 8]);
    expect(long.slice(-2)).toEqual([2497, 2500]);
    expect(new Set(long).size).toBe(1000);
  });

  it('refuses nonsense', () => {
    expect(() => sampleStepNumbers(-1)).toThrow('steps must be an integer >= 0, got -1');
    expect(() => sampleStepNumbers(10, 1)).toThrow('max must be an integer >= 2, got 1');
  });
});

describe('sampled steps for the event', () => {
  it('keeps only scalar metrics under short keys, text sanitised', () => {
    const info = {
      success: true,
      near_object: 0.25,
      grasp: false,
      action: { clipped: true, nonFinite: 1 },
      diverged: Number.NaN,
      ['k'.repeat(65)]: 1,
      ['k'.repeat(64)]: 2,
      note: 'a\u0000b',
      long: 'x'.repeat(300),
    };
    expect(scalarInfo(info)).toEqual({ near_object: 0.25, grasp: false, ['k'.repeat(64)]: 2, note: 'a\uFFFDb', long: `${'x'.repeat(199)}…` });
  });

  it('shows the action the environment applied (clipped, NaN as 0), and passes the contract', () => {
    const env = new PendulumEnv(); // torque in [-2, 2]
    const step = sampledStepOf(
      {
        step: 3,
        observation: Float32Array.of(1, 0, 0),
        action: [Number.NaN],
        reward: -1.5,
        terminated: false,
        truncated: true,
        info: { success: false, action: { clipped: false, nonFinite: 1 } },
        actLatencyMs: 0.5,
        nextObservation: Float32Array.of(1, 0, 0),
      },
      env.actionSpace,
    );
    expect(step).toEqual({ step: 3, reward: -1.5, success: false, action: [0], terminated: false, truncated: true, info: {} });
    expect(sampledStepOf({ ...stepOf(9), action: [7] }, env.actionSpace).action).toEqual([2]);
    expect(sampledStepSchema.safeParse(step).success).toBe(true);
  });
});

const stepOf = (step: number) => ({
  step,
  observation: Float32Array.of(0),
  action: [0],
  reward: 0,
  terminated: false,
  truncated: false,
  info: { success: false, action: { clipped: false, nonFinite: 0 } },
  actLatencyMs: 0,
  nextObservation: Float32Array.of(0),
});
