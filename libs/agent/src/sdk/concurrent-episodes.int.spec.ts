import { afterAll, describe, expect, it } from '@jest/globals';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '#testing';
import { AgentClient } from '../client/client.js';
import { AgentUsageError } from '../errors.js';
import { AgentServiceClient, DType, type ActBatchResponse, type ActResponse } from '../generated/kinitro/agent/v1/agent.js';
import type { TaskSpaces } from '../tensor/spec.js';
import { AgentProcess } from '../testing/agent-process.js';
import { serveAgent, type Agent } from './serve.js';

/**
 * Concurrent episodes as both SDKs serve them: each episode in flight keeps its own state, whether its steps come
 * on its own ActStream (protocol 1.2) or several in one message on ActBatchStream (1.3); an episode is forgotten
 * when its ActStream ends or a batch names it finished; and a client of 1.1 (no episode ids, one stream across
 * episodes) still drives the same agent one episode at a time. The agent answers [seed, steps so far in its
 * episode, 0, 0].
 */

const TASK = 'reach-v3';
const SPACES: TaskSpaces = {
  task: TASK,
  observation: [{ name: 'state', shape: [39], dtype: 'float64' }],
  action: [{ name: 'action', shape: [4], dtype: 'float32' }],
};
const STATE = { state: { dtype: 'float64' as const, shape: [39], data: new Float64Array(39) } };

/** The TypeScript twin of sdk/python/tests/fixture_agents.py's Counter. */
class Counter implements Agent {
  readonly maxConcurrentEpisodes = 4;
  private seed = 0;
  private steps = 0;

  reset(seed: bigint): void {
    this.seed = Number(seed);
    this.steps = 0;
  }

  act(): Float32Array {
    return Float32Array.of(this.seed, this.steps++, 0, 0);
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const typescriptAgent = async (): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), 'kinitro-concurrent-'));
  const served = await serveAgent(new Counter(), { socket: join(dir, 'agent.sock') });
  cleanups.push(
    () => served.stop(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  return served.address;
};

const pythonAgent = async (): Promise<string> => {
  const agent = AgentProcess.python('fixture_agents:Counter', resolve('sdk/python/tests'));
  cleanups.push(() => agent.stop());
  (await agent.connect()).dispose(); // waits for its socket
  return agent.address;
};

const values = async (answer: Promise<{ action?: { data: unknown } }>): Promise<number[]> =>
  Array.from((await answer).action!.data as Float32Array).slice(0, 2);

describe.each([
  ['TypeScript SDK', typescriptAgent],
  ['Python SDK', pythonAgent],
])('concurrent episodes served by the %s', (_sdk, start) => {
  it('keeps each episode in flight apart, forgets one whose stream ended, and serves a 1.1 client one at a time', async () => {
    const address = await start();
    // 1.2's ActStream per episode (batches of steps are the next test's).
    const client = await AgentClient.connect(address, { connectTimeoutMs: 20_000, maxConcurrentEpisodes: 3, actBatch: false });
    cleanups.push(() => client.dispose());
    expect((await client.ping([SPACES])).maxConcurrentEpisodes).toBe(4);
    expect(client.concurrentEpisodes).toBe(3);

    const a = await client.startEpisode({ seed: 10, task: TASK });
    const b = await client.startEpisode({ seed: 20, task: TASK });
    expect(await Promise.all([values(a.act(STATE, 0)), values(b.act(STATE, 0))])).toEqual([
      [10, 0],
      [20, 0],
    ]);
    expect([await values(a.act(STATE, 1)), await values(a.act(STATE, 2)), await values(b.act(STATE, 1))]).toEqual([
      [10, 1],
      [10, 2],
      [20, 1],
    ]);
    const c = await client.startEpisode({ seed: 30, task: TASK });
    await expect(client.startEpisode({ seed: 40, task: TASK })).rejects.toThrow(AgentUsageError);
    a.end();
    expect([await values(c.act(STATE, 0)), await values(b.act(STATE, 2))]).toEqual([
      [30, 0],
      [20, 2],
    ]);

    // The agent forgot episode a once its stream ended: a step carrying its id is refused, naming it.
    const stub = new AgentServiceClient(address, credentials.createInsecure());
    cleanups.push(() => stub.close());
    const refusal = await eventually(`the agent to forget episode ${a.id}`, async () => {
      const stream = stub.actStream(new Metadata());
      const ended = new Promise<ServiceError | undefined>((resolve) => {
        stream.on('error', resolve);
        stream.on('data', (_: ActResponse) => (stream.cancel(), resolve(undefined)));
      });
      stream.write({ observation: { state: { shape: [39], dtype: DType.DTYPE_FLOAT64, data: Buffer.alloc(39 * 8) } }, step: 3, episodeId: a.id });
      return ended;
    });
    expect(refusal).toMatchObject({ code: 9, details: `Act for episode ${a.id}, which no Reset started (or whose ActStream ended)` });

    // What a 1.1 evaluator sends (no episode id, one stream kept across episodes) reaches one episode at a time.
    const old = await AgentClient.connect(address, { connectTimeoutMs: 5_000 });
    cleanups.push(() => old.dispose());
    await old.ping([SPACES]);
    await old.reset({ seed: 50, task: TASK });
    expect([await values(old.act(STATE, 0)), await values(old.act(STATE, 1))]).toEqual([
      [50, 0],
      [50, 1],
    ]);
    await old.reset({ seed: 60, task: TASK });
    expect(await values(old.act(STATE, 0))).toEqual([60, 0]);
    expect(await values(b.act(STATE, 3))).toEqual([20, 3]);
  }, 30_000);

  it('answers batches of steps of the episodes in flight, each on its own state, and forgets an episode a batch names finished', async () => {
    const address = await start();
    const client = await AgentClient.connect(address, { connectTimeoutMs: 20_000, maxConcurrentEpisodes: 4, batchesInFlight: 1 });
    cleanups.push(() => client.dispose());
    await client.ping([SPACES]);
    expect(client.batchesSteps).toBe(true);
    const episodes = await Promise.all([10, 20, 30, 40].map((seed) => client.startEpisode({ seed, task: TASK })));
    for (let step = 0; step < 3; step++) {
      expect(await Promise.all(episodes.map((e) => values(e.act(STATE, step))))).toEqual([
        [10, step],
        [20, step],
        [30, step],
        [40, step],
      ]);
    }
    const [a, b, c] = episodes;
    a!.end();
    // The next batch tells the agent a is over; the others go on where they were.
    expect(await Promise.all([values(b!.act(STATE, 3)), values(c!.act(STATE, 3))])).toEqual([
      [20, 3],
      [30, 3],
    ]);
    const stub = new AgentServiceClient(address, credentials.createInsecure());
    cleanups.push(() => stub.close());
    const stream = stub.actBatchStream(new Metadata());
    const refusal = new Promise<ServiceError | undefined>((resolve) => {
      stream.on('error', resolve);
      stream.on('data', (_: ActBatchResponse) => (stream.cancel(), resolve(undefined)));
    });
    stream.write({
      steps: [{ observation: { state: { shape: [39], dtype: DType.DTYPE_FLOAT64, data: Buffer.alloc(39 * 8) } }, step: 1, episodeId: a!.id }],
      finishedEpisodeIds: [],
    });
    expect(await refusal).toMatchObject({ code: 9, details: `Act for episode ${a!.id}, which no Reset started (or whose ActStream ended)` });
  }, 30_000);
});
