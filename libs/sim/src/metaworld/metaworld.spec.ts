import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { EpisodeStateError, InvalidActionError, SimulatorLoadError, UnknownEnvironmentError } from '../core/errors.js';
import type { StepResult } from '../core/env.js';
import { resolveAssetsDir } from '../mujoco/assets.js';
import { benchmarkTasks, makeEnv, makeMetaWorldEnv, MT10 } from '../registry.js';
import { randomPolicy } from './experts/evaluate.js';
import { EXPERTS } from './experts/scripted.js';
import type { SawyerXYZEnv } from './sawyer-env.js';

/** WASM loading and physics; generous because several suites share 2 cores. */
const SLOW = 30_000;

const trajectory = (env: SawyerXYZEnv, seed: number, steps: number): { obs: number[][]; rewards: number[] } => {
  const policy = randomPolicy(seed + 1);
  const obs = [Array.from(env.reset({ seed }).observation)];
  const rewards: number[] = [];
  for (let i = 0; i < steps; i++) {
    const r = env.step(policy.act(obs.at(-1)!));
    obs.push(Array.from(r.observation));
    rewards.push(r.reward);
  }
  return { obs, rewards };
};

describe('MetaWorld environments', () => {
  let push: SawyerXYZEnv;
  beforeAll(async () => {
    push = await makeMetaWorldEnv('push-v3');
  }, SLOW);
  afterAll(() => push.close());

  it(
    'declare the 39-dim float64 observation and the 4-dim [-1, 1] float32 action',
    () => {
      expect(push.observationSpace.shape).toEqual([39]);
      expect(push.observationSpace.dtype).toBe('float64');
      expect(push.actionSpace).toMatchObject({ kind: 'box', shape: [4], dtype: 'float32' });
      expect(Array.from((push.actionSpace as { low: Float64Array }).low)).toEqual([-1, -1, -1, -1]);
      expect(push.maxEpisodeSteps).toBe(500);
    },
    SLOW,
  );

  it(
    'observe hand, gripper, puck, previous frame and goal; the goal lies in MetaWorld range',
    () => {
      const { observation: o } = push.reset({ seed: 9 });
      expect(o).toBeInstanceOf(Float64Array);
      expect(o).toHaveLength(39);
      // Hand settled near its start (0, 0.6, 0.2); the gripper is open; the reset frame repeats itself.
      expect(Math.abs(o[0]!)).toBeLessThan(0.02);
      expect(o[1]!).toBeCloseTo(0.6, 1);
      expect(o[2]!).toBeCloseTo(0.2, 1);
      expect(o[3]!).toBeGreaterThan(0.5);
      expect(Array.from(o.subarray(18, 36))).toEqual(Array.from(o.subarray(0, 18)));
      // Puck on the table within obj_low/obj_high, unit quaternion, zero padding.
      expect(o[4]!).toBeGreaterThanOrEqual(-0.1);
      expect(o[4]!).toBeLessThanOrEqual(0.1);
      expect(Math.hypot(o[7]!, o[8]!, o[9]!, o[10]!)).toBeCloseTo(1, 9);
      expect(Array.from(o.subarray(11, 18))).toEqual([0, 0, 0, 0, 0, 0, 0]);
      expect(o[36]!).toBeGreaterThanOrEqual(-0.1);
      expect(o[37]!).toBeGreaterThanOrEqual(0.8);
      expect(o[37]!).toBeLessThanOrEqual(0.9);
      expect(Math.hypot(o[4]! - o[36]!, o[5]! - o[37]!)).toBeGreaterThanOrEqual(0.15);
      const next = push.step([0, 0, 0, 0]).observation;
      expect(Array.from(next.subarray(18, 36))).toEqual(Array.from(o.subarray(0, 18)));
    },
    SLOW,
  );

  it(
    'is deterministic: the same seed and actions give bit-identical observations and rewards, in any instance',
    async () => {
      const a = trajectory(push, 42, 120);
      const b = trajectory(push, 42, 120);
      expect(b.obs).toEqual(a.obs);
      expect(b.rewards).toEqual(a.rewards);
      const fresh = await makeMetaWorldEnv('push-v3');
      try {
        expect(trajectory(fresh, 42, 120)).toEqual(a);
      } finally {
        fresh.close();
      }
      const c = trajectory(push, 43, 1);
      expect(c.obs[0]!.slice(36)).not.toEqual(a.obs[0]!.slice(36));
    },
    SLOW,
  );

  it(
    'runs two instances of one task side by side (shared model) exactly as each runs alone',
    async () => {
      const [a, b] = [await makeMetaWorldEnv('window-open-v3'), await makeMetaWorldEnv('window-open-v3')];
      try {
        const alone = [trajectory(a, 1, 40), trajectory(a, 2, 40)];
        const obs: number[][][] = [[Array.from(a.reset({ seed: 1 }).observation)], [Array.from(b.reset({ seed: 2 }).observation)]];
        const policies = [randomPolicy(2), randomPolicy(3)];
        for (let i = 0; i < 40; i++) {
          [a, b].forEach((env, k) => obs[k]!.push(Array.from(env.step(policies[k]!.act(obs[k]!.at(-1)!)).observation)));
        }
        expect(obs[0]).toEqual(alone[0]!.obs);
        expect(obs[1]).toEqual(alone[1]!.obs);
      } finally {
        a.close();
        b.close();
      }
    },
    SLOW,
  );

  it(
    'reproduces a golden pick-place trajectory byte for byte (same physics on every machine)',
    async () => {
      const env = await makeMetaWorldEnv('pick-place-v3');
      try {
        const hash = createHash('sha256');
        let { observation } = env.reset({ seed: 0 });
        hash.update(new Uint8Array(observation.buffer));
        let grasped = 0;
        for (let i = 0; i < 100; i++) {
          const r = env.step(EXPERTS['pick-place-v3']!.act(observation));
          observation = r.observation;
          grasped += Number(r.info['grasp_success']);
          hash.update(new Uint8Array(observation.buffer));
          hash.update(new Uint8Array(Float64Array.of(r.reward).buffer));
        }
        expect(hash.digest('hex')).toBe('5aa1fcfd7d95ab4f4d724b88e810171e0e40a7a49b7a6fc30381d9b5aab3cf2e');
        // The puck has been lifted off the table, held by both finger pads (contact forces).
        expect(observation[6]!).toBeGreaterThan(0.1);
        expect(grasped).toBeGreaterThan(10);
      } finally {
        env.close();
      }
    },
    SLOW,
  );

  it(
    'moves the hand 1 cm per unit of action, clipping out-of-bounds actions exactly like in-bounds ones',
    () => {
      const start = push.reset({ seed: 1 }).observation;
      const clipped = push.step([5, 0, 0, -3]);
      push.reset({ seed: 1 });
      const inBounds = push.step([1, 0, 0, -1]);
      expect(Array.from(clipped.observation)).toEqual(Array.from(inBounds.observation));
      expect(clipped.reward).toBe(inBounds.reward);
      expect(clipped.info.action).toEqual({ clipped: true, nonFinite: 0 });
      expect(inBounds.info.action).toEqual({ clipped: false, nonFinite: 0 });
      let last: StepResult = inBounds;
      for (let i = 0; i < 20; i++) last = push.step([1, 0, 0, -1]);
      expect(last.observation[0]! - start[0]!).toBeGreaterThan(0.15);
    },
    SLOW,
  );

  it(
    'keeps NaN out of the physics and reports it; rejects actions of the wrong length',
    () => {
      push.reset({ seed: 2 });
      const r = push.step([Number.NaN, Infinity, -Infinity, Number.NaN]);
      expect(r.info.action).toEqual({ clipped: true, nonFinite: 2 });
      expect(Array.from(r.observation).every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(r.reward)).toBe(true);
      expect(() => push.step([0, 0, 0])).toThrow(InvalidActionError);
      expect(() => push.step([0, 0, 0, 0, 0])).toThrow(InvalidActionError);
    },
    SLOW,
  );

  it(
    'truncates after 500 steps without terminating, then refuses to step',
    () => {
      push.reset({ seed: 3 });
      let r: StepResult | undefined;
      for (let i = 0; i < 500; i++) {
        r = push.step([0, 0, 0, 0]);
        if (i < 499) expect(r.truncated).toBe(false);
      }
      expect(r!.truncated).toBe(true);
      expect(r!.terminated).toBe(false);
      expect(r!.info).toMatchObject({ success: false });
      expect(() => push.step([0, 0, 0, 0])).toThrow(EpisodeStateError);
    },
    SLOW,
  );

  it(
    'names benchmarks MT1 and MT10 and lists valid names for an unknown task',
    async () => {
      expect(benchmarkTasks('MT10')).toEqual([...MT10]);
      expect(benchmarkTasks('MT1', 'reach-v3')).toEqual(['reach-v3']);
      expect(() => benchmarkTasks('MT50')).toThrow(/assembly-v3/);
      await expect(makeEnv('reach-v2')).rejects.toThrow(UnknownEnvironmentError);
      await expect(makeEnv('reach-v2')).rejects.toThrow(/valid names: CartPole-v1, .*reach-v3, .*window-close-v3/);
    },
    SLOW,
  );

  it(
    'names METAWORLD_ASSETS when the assets folder is missing',
    () => {
      expect(() => resolveAssetsDir({ METAWORLD_ASSETS: '/nonexistent/assets' })).toThrow(SimulatorLoadError);
      expect(() => resolveAssetsDir({ METAWORLD_ASSETS: '/nonexistent/assets' })).toThrow(/METAWORLD_ASSETS/);
    },
    SLOW,
  );

  it(
    'loads every MT10 task: finite observations, unsolved start, rewards within [0, 10]; close() ends the env',
    async () => {
      for (const name of MT10) {
        const env = await makeMetaWorldEnv(name);
        const { observation } = env.reset({ seed: 0 });
        expect(observation).toHaveLength(39);
        expect(Array.from(observation).every(Number.isFinite)).toBe(true);
        const policy = randomPolicy(0);
        let obs = observation;
        for (let i = 0; i < 30; i++) {
          const r = env.step(policy.act(obs));
          if (i === 0) expect(r.info.success).toBe(false);
          expect(r.reward).toBeGreaterThanOrEqual(0);
          expect(r.reward).toBeLessThanOrEqual(10);
          obs = r.observation;
        }
        expect(Array.from(obs).every(Number.isFinite)).toBe(true);
        env.close();
        expect(() => env.reset({ seed: 0 })).toThrow(EpisodeStateError);
      }
    },
    SLOW,
  );
});
