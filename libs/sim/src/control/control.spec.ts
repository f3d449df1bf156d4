import { describe, expect, it } from '@jest/globals';
import { EpisodeStateError, InvalidActionError } from '../core/errors.js';
import type { Env, StepResult } from '../core/env.js';
import { AcrobotEnv } from './acrobot.js';
import { CartPoleEnv } from './cartpole.js';
import { MountainCarContinuousEnv } from './mountain-car-continuous.js';
import { PendulumEnv } from './pendulum.js';

const rollout = (env: Env, seed: number, actions: (t: number) => number | number[]): StepResult[] => {
  env.reset({ seed });
  const out: StepResult[] = [];
  for (let t = 0; ; t++) {
    const r = env.step(actions(t));
    out.push(r);
    if (r.terminated || r.truncated) return out;
  }
};

describe('control tasks', () => {
  const all = (): Env[] => [new CartPoleEnv(), new PendulumEnv(), new MountainCarContinuousEnv(), new AcrobotEnv()];

  it('declare Gymnasium spaces and produce observations inside them', () => {
    for (const env of all()) {
      const { observation } = env.reset({ seed: 3 });
      expect(observation).toBeInstanceOf(Float32Array);
      expect(env.observationSpace.dtype).toBe('float32');
      expect(observation.length).toBe(env.observationSpace.shape[0]);
      observation.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(env.observationSpace.low[i]!);
        expect(v).toBeLessThanOrEqual(env.observationSpace.high[i]!);
      });
    }
    expect(new CartPoleEnv().actionSpace).toMatchObject({ kind: 'discrete', n: 2 });
    expect(new AcrobotEnv().actionSpace).toMatchObject({ kind: 'discrete', n: 3 });
    expect(Array.from(new PendulumEnv().actionSpace.low)).toEqual([-2]);
  });

  it('are deterministic: the same seed and actions give identical observations and rewards', () => {
    for (const make of [() => new CartPoleEnv(), () => new AcrobotEnv()]) {
      const policy = (t: number) => (t * 7) % 2;
      const a = rollout(make(), 11, policy);
      const b = rollout(make(), 11, policy);
      expect(b.map((r) => [Array.from(r.observation), r.reward])).toEqual(a.map((r) => [Array.from(r.observation), r.reward]));
      expect(Array.from(make().reset({ seed: 12 }).observation)).not.toEqual(Array.from(make().reset({ seed: 11 }).observation));
    }
  });

  it('CartPole-v1 terminates when the pole falls, with reward 1 on every step', () => {
    const steps = rollout(new CartPoleEnv(), 0, () => 1);
    expect(steps.at(-1)!.terminated).toBe(true);
    expect(steps.length).toBeGreaterThan(5);
    expect(steps.length).toBeLessThan(60);
    expect(steps.every((s) => s.reward === 1)).toBe(true);
    expect(steps.at(-1)!.info.success).toBe(false);
  });

  it('CartPole-v1 survives 500 steps under a simple balancing controller and counts as success', () => {
    const env = new CartPoleEnv();
    let { observation } = env.reset({ seed: 5 });
    let last: StepResult | undefined;
    do {
      const push = observation[2]! + 0.5 * observation[3]! > 0 ? 1 : 0;
      last = env.step(push);
      observation = last.observation;
    } while (!last.terminated && !last.truncated);
    expect(last.truncated).toBe(true);
    expect(env.elapsedSteps).toBe(500);
    expect(last.info.success).toBe(true);
  });

  it('Pendulum-v1 never terminates, truncates at 200 and pays minus the swing cost', () => {
    const env = new PendulumEnv();
    const steps = rollout(env, 1, () => [0]);
    expect(steps).toHaveLength(200);
    expect(steps.at(-1)!.truncated).toBe(true);
    expect(steps.every((s) => !s.terminated && s.reward <= 0 && s.reward >= -(Math.PI ** 2 + 0.1 * 64 + 0.001 * 4))).toBe(true);
  });

  it('MountainCarContinuous-v0 reaches the flag by pumping energy and gets the +100 bonus', () => {
    const env = new MountainCarContinuousEnv();
    let { observation } = env.reset({ seed: 2 });
    let last: StepResult;
    do {
      last = env.step([observation[1]! >= 0 ? 1 : -1]);
      observation = last.observation;
    } while (!last.terminated && !last.truncated);
    expect(last.terminated).toBe(true);
    expect(last.info.success).toBe(true);
    expect(last.reward).toBeCloseTo(100 - 0.1, 10);
  });

  it('Acrobot-v1 pays -1 per step until an energy-pumping controller swings the tip above the bar', () => {
    const env = new AcrobotEnv();
    let { observation } = env.reset({ seed: 4 });
    const steps: StepResult[] = [];
    let last: StepResult;
    do {
      last = env.step(observation[5]! > 0 ? 2 : 0);
      steps.push(last);
      observation = last.observation;
    } while (!last.terminated && !last.truncated);
    expect(last.terminated).toBe(true);
    expect(last.reward).toBe(0);
    expect(last.info.success).toBe(true);
    expect(steps.slice(0, -1).every((s) => s.reward === -1)).toBe(true);
    const [c1, s1, c2, s2] = Array.from(observation);
    // Tip height -cos(θ1) - cos(θ1 + θ2) above 1, from the observed cosines and sines.
    expect(-c1! - (c1! * c2! - s1! * s2!)).toBeGreaterThan(1 - 1e-6);
  });

  it('clip out-of-bounds and NaN actions, report them, and reject malformed ones', () => {
    const env = new PendulumEnv();
    env.reset({ seed: 0 });
    expect(env.step([7]).info.action).toEqual({ clipped: true, nonFinite: 0 });
    expect(env.step([-Infinity]).info.action).toEqual({ clipped: true, nonFinite: 0 });
    const nan = env.step([Number.NaN]);
    expect(nan.info.action).toEqual({ clipped: false, nonFinite: 1 });
    expect(Array.from(nan.observation).every(Number.isFinite)).toBe(true);
    expect(() => env.step([1, 2])).toThrow(InvalidActionError);
    const cart = new CartPoleEnv();
    cart.reset({ seed: 0 });
    expect(() => cart.step(2)).toThrow(InvalidActionError);
    expect(() => cart.step(Number.NaN)).toThrow(InvalidActionError);
  });

  it('refuse to step before reset, after the episode ended, or after close', () => {
    const env = new CartPoleEnv();
    expect(() => env.step(0)).toThrow(EpisodeStateError);
    rollout(env, 0, () => 1);
    expect(() => env.step(0)).toThrow(EpisodeStateError);
    env.close();
    expect(() => env.reset({ seed: 0 })).toThrow(EpisodeStateError);
  });
});
