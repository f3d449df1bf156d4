import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EpisodeRecorded } from '#contracts';
import { CartPoleEnv, PendulumEnv, type Env } from '#sim';
import { FsObjectStore, InvalidObjectKeyError, ObjectStoreError, type ObjectBody, type PutContentResult, type PutOptions } from '#storage';
import { runAgentEpisode } from '../episode.js';
import { EpisodeRecorder, RecordingStateError, type EpisodeRecorderOptions } from './episode-recorder.js';
import { replayTrajectory } from './replay.js';
import { boxAction, discreteAction, inProcessClient } from './testing/in-process-client.js';
import { readTrajectory } from './trajectory-format.js';

const FAST_RETRY = { attempts: 4, baseDelayMs: 1 };

/** A filesystem store whose first `failures` content writes fail as an unreachable S3 gateway's would. */
class FlakyStore extends FsObjectStore {
  calls = 0;
  constructor(
    dir: string,
    private readonly failures: number,
    private readonly error: () => Error = () => new ObjectStoreError('put sha256/…: connect ECONNREFUSED 127.0.0.1:7480 (injected)'),
  ) {
    super({ dir });
  }
  override async putContent(body: ObjectBody, options?: PutOptions): Promise<PutContentResult> {
    this.calls++;
    if (this.calls <= this.failures) throw this.error();
    return super.putContent(body, options);
  }
}

let dir: string;
let store: FsObjectStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinitro-recording-'));
  store = new FsObjectStore({ dir });
  await store.start();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Runs an in-process policy through runAgentEpisode (the evaluator's loop) with a recorder wired in. */
const recordEpisode = async (env: Env, options: Omit<EpisodeRecorderOptions, 'env'>, policy: Parameters<typeof inProcessClient>[0]) => {
  const recorder = new EpisodeRecorder({ env, ...options });
  const outcome = await runAgentEpisode(env, inProcessClient(policy), {
    task: options.task,
    seed: options.seed,
    maxSteps: options.maxSteps,
    ...recorder.hooks,
  });
  return { recorder, outcome };
};

const alternate = (_: unknown, step: number) => discreteAction(step % 2 === 0 ? 1 : 0);

describe('EpisodeRecorder on a control task (CartPole)', () => {
  it('writes the trajectory under its sha256, with the header and every step, and samples the steps for the event', async () => {
    const env = new CartPoleEnv();
    const camera = { names: ['corner'], width: 64, height: 64, everyNSteps: 5 };
    const { recorder, outcome } = await recordEpisode(env, { task: 'CartPole-v1', seed: 7, episodeIndex: 2, maxSteps: 20, camera }, alternate);
    expect(outcome).toMatchObject({ steps: 20, truncated: true, terminated: false, totalReward: 20 });

    const recording = await recorder.upload(store);
    const bytes = await store.get(recording.trajectoryKey);
    const hex = createHash('sha256').update(bytes).digest('hex');
    expect(recording.trajectory).toEqual({ key: `sha256/${hex}`, contentType: 'application/x-ndjson+gzip', bytes: bytes.length, sha256: hex });
    expect((await store.head(recording.trajectoryKey))?.contentType).toBe('application/x-ndjson+gzip');

    // What `zcat | head -1` shows.
    const lines = gunzipSync(bytes).toString('utf8').split('\n');
    expect(lines[0]).toBe(
      '{"format":"kinitro.trajectory","version":1,"env":"CartPole-v1","task":"CartPole-v1","seed":7,"episodeIndex":2,' +
        '"observationSpace":{"kind":"box","shape":[4],"dtype":"float32"},"actionSpace":{"kind":"discrete","shape":[],"dtype":"int64","n":2},' +
        '"maxSteps":20,"camera":{"names":["corner"],"width":64,"height":64,"everyNSteps":5}}',
    );
    expect(lines).toHaveLength(22); // header, 20 steps, the final newline

    const trajectory = readTrajectory(bytes);
    expect(trajectory.steps.map((s) => s.action[0])).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    expect(trajectory.steps.map((s) => s.reward)).toEqual(Array(20).fill(1));
    expect(trajectory.steps.at(-1)).toMatchObject({ step: 20, truncated: true, terminated: false });
    expect(trajectory.steps.every((s) => s.actLatencyMs >= 0)).toBe(true);

    expect(recording.frames).toEqual([]); // control tasks have no renderer
    expect(recording.sampledSteps.map((s) => s.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(recording.sampledSteps[19]).toEqual({ step: 20, reward: 1, success: false, action: [0], terminated: false, truncated: true, info: {} });
    // It fits the event that will carry it.
    const event = EpisodeRecorded.schema.safeParse({
      episodeId: '3f0c5b1e-2a4d-4c8e-9f6a-1b2c3d4e5f60',
      evaluationId: '3f0c5b1e-2a4d-4c8e-9f6a-1b2c3d4e5f61',
      jobId: '3f0c5b1e-2a4d-4c8e-9f6a-1b2c3d4e5f62',
      validator: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
      task: 'CartPole-v1',
      episodeIndex: 2,
      seed: 7,
      steps: outcome.steps,
      totalReward: outcome.totalReward,
      success: outcome.success,
      terminated: outcome.terminated,
      truncated: outcome.truncated,
      durationMs: 5,
      ...recording,
    });
    expect(event.error?.issues).toBeUndefined();
  });

  it('reproduces the episode from its recorded seed and actions, bit for bit, and says where a tampered one differs', async () => {
    const env = new CartPoleEnv();
    const { recorder, outcome } = await recordEpisode(env, { task: 'CartPole-v1', seed: 11, episodeIndex: 0 }, () => discreteAction(1));
    expect(outcome.terminated).toBe(true); // always pushing right tips the pole over
    const trajectory = readTrajectory(await store.get((await recorder.upload(store)).trajectoryKey));
    expect(trajectory.steps).toHaveLength(outcome.steps);
    expect(trajectory.steps.at(-1)?.finalObservation).toHaveLength(4);
    expect(replayTrajectory(new CartPoleEnv(), trajectory)).toEqual({ identical: true, steps: outcome.steps });

    const tampered = { ...trajectory, steps: trajectory.steps.map((s) => (s.step === 5 ? { ...s, reward: 0.5 } : s)) };
    expect(replayTrajectory(new CartPoleEnv(), tampered)).toEqual({ identical: false, step: 5, field: 'reward', recorded: 0.5, replayed: 1 });
    expect(() => replayTrajectory(new PendulumEnv(), trajectory)).toThrow('the trajectory is of CartPole-v1, the environment is Pendulum-v1');
  });

  it('keeps NaN and out-of-range actions exactly as submitted, and the event sees what the env applied', async () => {
    const env = new PendulumEnv();
    const policy = (_: unknown, step: number) => boxAction([Number.NaN, 5, -0.3][step % 3]!);
    const { recorder } = await recordEpisode(env, { task: 'Pendulum-v1', seed: 5, episodeIndex: 0, maxSteps: 12 }, policy);
    const recording = await recorder.upload(store);
    const trajectory = readTrajectory(await store.get(recording.trajectoryKey));
    expect(trajectory.steps.slice(0, 3).map((s) => s.action)).toEqual([[Number.NaN], [5], [Math.fround(-0.3)]]);
    expect(trajectory.steps[0]!.info).toEqual({ success: false, action: { clipped: false, nonFinite: 1 } });
    expect(recording.sampledSteps.slice(0, 3).map((s) => s.action)).toEqual([[0], [2], [Math.fround(-0.3)]]);
    expect(replayTrajectory(new PendulumEnv(), trajectory)).toEqual({ identical: true, steps: 12 });
  });

  it('writes the same keys again when uploaded again', async () => {
    const { recorder } = await recordEpisode(new CartPoleEnv(), { task: 'CartPole-v1', seed: 1, episodeIndex: 0, maxSteps: 3 }, alternate);
    const first = await recorder.upload(store);
    expect(await recorder.upload(store)).toEqual(first);
    expect((await store.list('')).map((o) => o.key)).toEqual([first.trajectoryKey]);
  });

  it('is used in order, or says how it was misused', async () => {
    const env = new CartPoleEnv();
    const recorder = new EpisodeRecorder({ env, task: 'CartPole-v1', seed: 1, episodeIndex: 0, maxSteps: 3 });
    const transition = {
      step: 1,
      observation: Float32Array.of(0, 0, 0, 0),
      action: [1],
      reward: 1,
      terminated: false,
      truncated: false,
      info: { success: false, action: { clipped: false, nonFinite: 0 } },
      actLatencyMs: 1,
      nextObservation: Float32Array.of(0, 0, 0, 0),
    };
    expect(() => recorder.record(transition)).toThrow(new RecordingStateError('record() before start(): call start with the reset observation first'));
    recorder.start(Float32Array.of(0, 0, 0, 0));
    expect(() => recorder.record({ ...transition, step: 2 })).toThrow('step 2 recorded after step 0');
    recorder.record(transition);
    await expect(recorder.upload(store)).rejects.toThrow('the episode has not ended (1 steps recorded): upload after its last step');
    expect(() => recorder.record({ ...transition, step: 2, truncated: true })).toThrow(
      "the episode was truncated at step 2, before the recorder's limit of 3: give both the same maxSteps",
    );
    expect(() => new EpisodeRecorder({ env, task: 'CartPole-v1', seed: 1, episodeIndex: 0, maxSteps: 0 })).toThrow(
      'maxSteps must be a positive integer, got 0',
    );
  });
});

describe('uploads to a flaky store', () => {
  const recorded = () => recordEpisode(new CartPoleEnv(), { task: 'CartPole-v1', seed: 2, episodeIndex: 0, maxSteps: 5 }, alternate);

  it('retries transient errors and succeeds', async () => {
    const flaky = new FlakyStore(dir, 2);
    const { recorder } = await recorded();
    const recording = await recorder.upload(flaky, { retry: FAST_RETRY });
    expect(flaky.calls).toBe(3);
    expect(readTrajectory(await store.get(recording.trajectoryKey)).steps).toHaveLength(5);
  });

  it('throws when the store keeps failing, and nothing is written', async () => {
    const down = new FlakyStore(dir, Infinity);
    const { recorder } = await recorded();
    await expect(recorder.upload(down, { retry: FAST_RETRY })).rejects.toThrow(
      new ObjectStoreError('put sha256/…: connect ECONNREFUSED 127.0.0.1:7480 (injected)'),
    );
    expect(down.calls).toBe(4);
    expect(await store.list('')).toEqual([]);
  });

  it('does not retry what another try cannot fix', async () => {
    const refusing = new FlakyStore(dir, Infinity, () => new InvalidObjectKeyError('sha256/x', 'refused (injected)'));
    const { recorder } = await recorded();
    await expect(recorder.upload(refusing, { retry: FAST_RETRY })).rejects.toBeInstanceOf(InvalidObjectKeyError);
    expect(refusing.calls).toBe(1);
  });
});
