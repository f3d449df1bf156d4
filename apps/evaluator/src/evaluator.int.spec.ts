import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { readTrajectory } from '#agent';
import { newEvent, type RecordedEvent } from '#contracts';
import { sha256OfContentKey } from '#storage';
import { EXPERTS, makeEnv, makeMetaWorldEnv, type Env } from '#sim';
import { eventually } from '#testing';
import { EpisodeEvaluator } from './episode-evaluator.js';
import { EvaluatorTestBed, reachBenchmark } from './testing/evaluator-test-bed.js';

// The evaluator against real NATS, the in-repo Hub, real bwrap and the Python SDK's reach-v3 expert: the test plays
// the validator (claims the evaluation, publishes the work items) and reads the episodes back from the log.
let bed: EvaluatorTestBed;
let agent: { repo: string; revision: string };
const SEEDS = [1000, 1001, 1002, 1003];
/** The benchmark's step limit, under reach-v3's own 500: the episodes end truncated at 150 steps. */
const MAX_STEPS = 150;

interface Expected {
  steps: number;
  totalReward: number;
  success: boolean;
}
/** libs/sim's expert policy in process for MAX_STEPS steps: what the sandboxed agent must reproduce, reward for reward. */
let expected: Map<number, Expected>;

const expertFor = (env: Env, seed: number, maxSteps: number): Expected => {
  let { observation } = env.reset({ seed });
  let totalReward = 0;
  let success = false;
  for (let step = 1; step <= maxSteps; step++) {
    const result = env.step(EXPERTS['reach-v3']!.act(observation));
    totalReward += result.reward;
    success ||= result.info.success;
    observation = result.observation;
  }
  return { steps: maxSteps, totalReward, success };
};

const types = (events: RecordedEvent[]) => events.map((e) => e.type);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const CAMERA = { names: ['corner'], width: 64, height: 64, everyNSteps: 50 };

interface ObjectRef {
  key: string;
  sha256: string;
  bytes: number;
}

/** The object the ref names is in the store, its bytes hash to its content key, and the ref says so. */
const stored = async (ref: ObjectRef): Promise<Uint8Array> => {
  const bytes = await bed.objects.get(ref.key);
  expect(sha256OfContentKey(ref.key)).toBe(sha256(bytes));
  expect(ref).toMatchObject({ sha256: sha256(bytes), bytes: bytes.length });
  return bytes;
};

const dataOf = <T = Record<string, unknown>>(events: RecordedEvent[], type: string): T[] => events.filter((e) => e.type === type).map((e) => e.data as T);

beforeAll(async () => {
  bed = await EvaluatorTestBed.start('evaluator');
  agent = await bed.agentRepo('reach-expert', resolve('sdk/python/examples/reach_expert'));
  const env = await makeMetaWorldEnv('reach-v3');
  expected = new Map(SEEDS.map((seed) => [seed, expertFor(env, seed, MAX_STEPS)]));
  env.close();
}, 30_000);
afterAll(() => bed?.dispose());

describe('the evaluator', () => {
  it('runs every item of a reach-v3 evaluation once, shared by two evaluators, with the in-process expert results', async () => {
    const one = await bed.startEvaluator({ EVALUATOR_ID: 'evaluator-1' });
    const two = await bed.startEvaluator({ EVALUATOR_ID: 'evaluator-2' });
    const items = await bed.evaluation(agent, reachBenchmark({ episodesPerTask: 4, seeds: SEEDS, camera: CAMERA, maxSteps: MAX_STEPS }));

    const episodes = await eventually(
      'every episode recorded',
      async () => {
        const all = await Promise.all(items.map((item) => bed.episode(item.episodeId)));
        return all.every((events) => events.some((e) => e.type === 'EpisodeRecorded')) && all;
      },
      60_000,
    );
    for (const [i, events] of episodes.entries()) {
      expect(types(events)).toEqual(['EpisodeStarted', 'EpisodeRecorded']);
      const [recorded] = dataOf<Record<string, unknown>>(events, 'EpisodeRecorded');
      const want = expected.get(items[i]!.seed)!;
      expect(recorded).toMatchObject({
        episodeId: items[i]!.episodeId,
        seed: items[i]!.seed,
        task: 'reach-v3',
        steps: want.steps,
        totalReward: want.totalReward,
        success: want.success,
        terminated: false,
        truncated: true,
        attempt: 1,
      });
      // The trajectory holds every step the in-process expert took, reward for reward.
      const { trajectory, trajectoryKey, frames } = recorded as {
        trajectory: ObjectRef;
        trajectoryKey: string;
        frames: (ObjectRef & { camera: string; steps: number[] })[];
      };
      expect(trajectoryKey).toBe(trajectory.key);
      const { header, steps } = readTrajectory(await stored(trajectory));
      expect(header).toMatchObject({ task: 'reach-v3', seed: items[i]!.seed, maxSteps: MAX_STEPS });
      expect(steps).toHaveLength(want.steps);
      expect(steps.reduce((sum, step) => sum + step.reward, 0)).toBeCloseTo(want.totalReward, 9);
      // One sprite sheet for the one camera: frames at step 0, every 50 steps, the last being one of them.
      expect(frames).toHaveLength(1);
      expect(frames[0]).toMatchObject({ camera: 'corner', steps: [0, 50, 100, 150] });
      const png = await stored(frames[0]!);
      expect(Buffer.from(png.subarray(1, 4)).toString('latin1')).toBe('PNG');
    }
    const runBy = new Set(episodes.map((events) => dataOf<{ evaluator: string }>(events, 'EpisodeStarted')[0]!.evaluator));
    expect(runBy).toEqual(new Set(['evaluator-1', 'evaluator-2']));

    // Each evaluator's log of the evaluation, as its latest episode event names it: the agent started once in the
    // sandbox with the limits in force, then every episode that evaluator ran (and only those), with the outcome
    // its event records.
    for (const evaluator of runBy) {
      const mine = episodes.filter((events) => dataOf<{ evaluator: string }>(events, 'EpisodeStarted')[0]!.evaluator === evaluator);
      const last = mine
        .map((events) => events.find((e) => e.type === 'EpisodeRecorded')!)
        .sort((a, b) => a.streamSequence - b.streamSequence)
        .at(-1);
      const log = await bed.evaluatorLog(last);
      expect(log).not.toContain('\u0000');
      expect(log.match(/ sandbox bwrap; enforces: .*network/g)).toHaveLength(1);
      expect(log.match(/ session agent started: .* limits in force: \{"wallSeconds":\d+,"cpuSeconds":\d+,"memoryBytes":\d+/g)).toHaveLength(1);
      for (const events of episodes) {
        const recorded = dataOf<{ episodeId: string; steps: number; totalReward: number; success: boolean; trajectory: ObjectRef }>(
          events,
          'EpisodeRecorded',
        )[0]!;
        const line = `episode ${recorded.episodeId}: ${recorded.steps} steps in `;
        expect(log.includes(line)).toBe(mine.includes(events));
        if (!mine.includes(events)) continue;
        expect(log).toContain(`, reward ${recorded.totalReward}, success ${recorded.success}, terminated false, truncated true`);
        expect(log).toContain(`trajectory ${recorded.trajectory.key}; frames corner sha256/`);
      }
    }
    await eventually('the queue empty', async () => (await bed.queued()) === 0);
    await bed.stopEvaluator(one);
    await bed.stopEvaluator(two);
  }, 90_000);

  it('runs a control-task evaluation (CartPole-v1) with the SDK template agent, terminated as the in-process rollout says', async () => {
    const template = await bed.agentRepo('template', resolve('sdk/python/template'));
    const running = await bed.startEvaluator();
    const items = await bed.evaluation(template, {
      name: 'control',
      provider: 'control',
      tasks: ['CartPole-v1'],
      episodesPerTask: 2,
      maxSteps: 500,
      timeoutSeconds: 60,
      seeds: [5, 6],
    });
    const episodes = await eventually(
      'both recorded',
      async () => {
        const all = await Promise.all(items.map((item) => bed.episode(item.episodeId)));
        return all.every((events) => types(events).includes('EpisodeRecorded')) && all;
      },
      30_000,
    );
    for (const [i, events] of episodes.entries()) {
      // The template pushes left (action 0) at every step: the pole falls, the episode terminates.
      const env = await makeEnv('CartPole-v1');
      env.reset({ seed: items[i]!.seed });
      let steps = 0;
      for (let done = false; !done; steps++) done = env.step(0).terminated;
      const [recorded] = dataOf<{ trajectory: ObjectRef; frames: unknown[] }>(events, 'EpisodeRecorded');
      expect(recorded).toMatchObject({ steps, totalReward: steps, terminated: true, truncated: false, success: false, frames: [] });
      expect(readTrajectory(await stored(recorded!.trajectory)).steps.map((step) => step.action)).toEqual(Array(steps).fill([0]));
    }
    await bed.stopEvaluator(running);
  }, 40_000);

  it('runs a TypeScript agent (runtime node, the SDK from this checkout) the same as the Python one', async () => {
    const ts = await bed.agentRepo('ts-reach-expert', resolve('libs/agent/src/runtime/fixtures/ts-reach-expert'));
    const running = await bed.startEvaluator();
    const [item] = await bed.evaluation(ts, reachBenchmark({ episodesPerTask: 1, seeds: [SEEDS[2]!], maxSteps: MAX_STEPS }));
    const events = await eventually(
      'recorded',
      async () => {
        const all = await bed.episode(item!.episodeId);
        return types(all).includes('EpisodeRecorded') && all;
      },
      30_000,
    );
    const want = expected.get(SEEDS[2]!)!;
    expect(dataOf(events, 'EpisodeRecorded')[0]).toMatchObject({ steps: want.steps, totalReward: want.totalReward, success: want.success });
    await bed.stopEvaluator(running);
  }, 40_000);

  it('acks an already-recorded episode without running the agent', async () => {
    // A repo the Hub does not have: had the agent been fetched, the episode would have failed (fault miner).
    const [item] = await bed.plan({ repo: 'miner/not-there', revision: 'f'.repeat(40) }, reachBenchmark({ episodesPerTask: 1, seeds: [7] }));
    const { episodeId, evaluationId, jobId, validator, task, episodeIndex, seed } = item!;
    const ref = { episodeId, evaluationId, jobId, validator, task, episodeIndex, seed };
    await bed.store.append('episode', episodeId, [newEvent('EpisodeStarted', { ...ref, evaluator: 'elsewhere', attempt: 1 })], { expected: 'any' });
    await bed.store.append(
      'episode',
      episodeId,
      [
        newEvent('EpisodeRecorded', {
          ...ref,
          steps: 3,
          totalReward: 1,
          success: false,
          terminated: false,
          truncated: true,
          durationMs: 5,
          trajectoryKey: null,
          frames: [],
          sampledSteps: [],
        }),
      ],
      { expected: 'any' },
    );
    const hubRequests = bed.hub.requests.length;
    const running = await bed.startEvaluator({ HEALTH_PORT: 0 });
    // Ready once its consumer runs (HEALTH_PORT).
    await eventually('ready', async () => (await fetch(`http://127.0.0.1:${running.healthPort}/health/ready`)).status === 200);
    // It made the activity bucket: the last heartbeat per key, forgotten after an hour.
    const bucket = await bed.nats.jsm.streams.info(`KV_${bed.topology.activityBucket}`);
    expect(bucket.config).toMatchObject({ max_msgs_per_subject: 1, max_age: 3_600_000 * 1_000_000 });
    await bed.publish(item!);

    await eventually('the item acked', async () => (await bed.queued()) === 0);
    expect(types(await bed.episode(episodeId))).toEqual(['EpisodeStarted', 'EpisodeRecorded']);
    expect(bed.hub.requests.length).toBe(hubRequests);
    await bed.stopEvaluator(running);
  }, 30_000);

  it('records an episode once when two evaluators run the same item at the same time', async () => {
    const one = await bed.startEvaluator({ EVALUATOR_ID: 'racer-1' });
    const two = await bed.startEvaluator({ EVALUATOR_ID: 'racer-2' });
    const [item] = await bed.plan(agent, reachBenchmark({ episodesPerTask: 1, seeds: [SEEDS[0]!], maxSteps: MAX_STEPS }));
    // What a redelivery to a second evaluator while the first still runs it comes to, forced: both handle it at once.
    const delivery = (deliveryCount: number) => ({ subject: 'test', streamSequence: 1, deliveryCount, headers: undefined, working: () => undefined });
    await Promise.all([one.app.get(EpisodeEvaluator).handle(item!, delivery(1)), two.app.get(EpisodeEvaluator).handle(item!, delivery(2))]);
    const events = await bed.episode(item!.episodeId);
    expect(types(events)).toEqual(['EpisodeStarted', 'EpisodeStarted', 'EpisodeRecorded']);
    expect(new Set(dataOf<{ evaluator: string }>(events, 'EpisodeStarted').map((e) => e.evaluator))).toEqual(new Set(['racer-1', 'racer-2']));
    expect(dataOf(events, 'EpisodeRecorded')[0]).toMatchObject({ totalReward: expected.get(SEEDS[0]!)!.totalReward });
    await bed.stopEvaluator(one);
    await bed.stopEvaluator(two);
  }, 40_000);

  it('hands the item in hand back at shutdown (no failure recorded) and another evaluator records it', async () => {
    const leaving = await bed.startEvaluator({ EVALUATOR_ID: 'leaving' });
    const [item] = await bed.evaluation(agent, reachBenchmark({ episodesPerTask: 1, seeds: [SEEDS[1]!] }));
    await eventually('the episode started', async () => (await bed.episode(item!.episodeId)).length > 0 && (await bed.heartbeat(item!)) !== undefined);
    await bed.stopEvaluator(leaving);
    expect(types(await bed.episode(item!.episodeId))).toEqual(['EpisodeStarted']);
    expect(await bed.queued()).toBe(1);

    const staying = await bed.startEvaluator({ EVALUATOR_ID: 'staying' });
    await eventually('recorded', async () => types(await bed.episode(item!.episodeId)).includes('EpisodeRecorded'), 30_000);
    const events = await bed.episode(item!.episodeId);
    expect(types(events)).toEqual(['EpisodeStarted', 'EpisodeStarted', 'EpisodeRecorded']);
    expect(dataOf(events, 'EpisodeRecorded')[0]).toMatchObject({ evaluator: 'staying', attempt: 2, steps: 500 });
    await bed.stopEvaluator(staying);
  }, 60_000);
});
