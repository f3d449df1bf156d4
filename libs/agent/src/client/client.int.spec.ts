import { afterEach, describe, expect, it } from '@jest/globals';
import { Server, ServerCredentials, status, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PendulumEnv } from '#sim';
import {
  AgentCallError,
  AgentDeadlineError,
  AgentInvalidTensorError,
  AgentMessageTooLargeError,
  AgentProtocolVersionError,
  AgentProtocolViolationError,
  AgentUnreachableError,
  AgentUsageError,
} from '../errors.js';
import {
  AgentServiceService,
  DType,
  type ActBatchRequest,
  type ActBatchResponse,
  type ActRequest,
  type ActResponse,
  type AgentServiceServer,
  type Tensor,
} from '../generated/kinitro/agent/v1/agent.js';
import { PROTOCOL_VERSION } from '../protocol.js';
import { verdictOf } from '../runtime/verdict.js';
import { serveAgent, type ServedAgent } from '../sdk/serve.js';
import { encodeTensor } from '../tensor/codec.js';
import { taskSpacesOf } from '../tensor/spec.js';
import { AgentClient, type AgentClientOptions } from './client.js';

/**
 * The client against agents that misbehave on purpose, served in process by a raw grpc-js server on a real Unix
 * socket (so nothing in our SDK smooths the misbehaviour over), and against the TypeScript SDK.
 */

const TASK = 'Pendulum-v1';
const SPACES = taskSpacesOf(TASK, new PendulumEnv());
const STATE = { state: { dtype: 'float32' as const, shape: [3], data: Float32Array.of(1, 0, 0) } };
const f32 = (...values: number[]): Tensor => encodeTensor('action', { dtype: 'float32', shape: [values.length], data: Float32Array.from(values) });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const socketPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'kinitro-client-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'agent.sock');
};

const unary =
  <Req, Res>(fn: (request: Req) => Res | Promise<Res>) =>
  (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) =>
    void Promise.resolve(fn(call.request)).then(
      (response) => callback(null, response),
      (error: Error) => callback({ code: status.INTERNAL, details: error.message }),
    );

const listen = async (server: Server): Promise<string> => {
  const address = `unix:${socketPath()}`;
  await new Promise<void>((resolve, reject) => server.bindAsync(address, ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  cleanups.push(() => void server.forceShutdown());
  return address;
};

/**
 * A raw agent of protocol 1.0, from before ActStream (so its steps come as unary Act calls): well-behaved
 * defaults, overridden per test.
 */
const rawAgent = async (
  overrides: Partial<Record<keyof AgentServiceServer, (request: never) => unknown>> = {},
  serverOptions: Record<string, number> = {},
): Promise<string> => {
  const handlers = {
    ping: () => ({ agentName: 'raw', agentVersion: '0.0.1', wants: [], protocolVersion: '1.0', maxConcurrentEpisodes: 0 }),
    reset: () => ({}),
    act: (): ActResponse => ({ action: { action: f32(0.5) } }),
    shutdown: () => ({}),
    ...overrides,
  };
  const server = new Server(serverOptions);
  server.addService(AgentServiceService, Object.fromEntries(Object.entries(handlers).map(([k, fn]) => [k, unary(fn as never)])));
  return listen(server);
};

/** What a raw 1.1 agent does with the i-th step of its ActStream: answer, end the stream (OK), or fail it. */
type StreamMove = ActResponse | 'end' | { code: status; details: string };

/** A raw agent of protocol 1.1 (or what `announce` says) whose ActStream makes `move(request, i)` for the i-th step of each stream. */
const rawStreamAgent = async (
  move: (request: ActRequest, i: number) => StreamMove | Promise<StreamMove>,
  serverOptions: Record<string, number> = {},
  announce = { protocolVersion: '1.1', maxConcurrentEpisodes: 0 },
): Promise<string> => {
  const server = new Server(serverOptions);
  server.addService(AgentServiceService, {
    ping: unary(() => ({ agentName: 'raw-stream', agentVersion: '0.0.1', wants: [], ...announce })),
    reset: unary(() => ({})),
    act: unary(() => Promise.reject(new Error('a 1.1 agent is driven through ActStream, not Act'))),
    shutdown: unary(() => ({})),
    actStream: (call: ServerDuplexStream<ActRequest, ActResponse>) => {
      let i = 0;
      call.on(
        'data',
        (request: ActRequest) =>
          void Promise.resolve(move(request, i++)).then((next) => {
            if (next === 'end') call.end();
            else if ('code' in next) call.emit('error', next);
            else call.write(next);
          }),
      );
      call.on('end', () => call.end());
    },
  });
  return listen(server);
};

/** What a raw 1.3 agent does with the i-th batch (counted across its streams): answer, or fail the stream. */
type BatchMove = ActBatchResponse | { code: status; details: string };

/**
 * A raw agent of protocol 1.3 taking 8 episodes at once, whose ActBatchStream makes `move(request, i)` for the
 * i-th batch it receives (over all its streams) and records every batch in `seen`.
 */
const rawBatchAgent = async (move: (request: ActBatchRequest, i: number) => BatchMove | Promise<BatchMove>, seen: ActBatchRequest[] = []): Promise<string> => {
  const server = new Server();
  let i = 0;
  server.addService(AgentServiceService, {
    ping: unary(() => ({ agentName: 'raw-batch', agentVersion: '0.0.1', wants: [], protocolVersion: '1.3', maxConcurrentEpisodes: 8 })),
    reset: unary(() => ({})),
    act: unary(() => Promise.reject(new Error('a 1.3 agent with several episodes is driven through ActBatchStream, not Act'))),
    actStream: (call: ServerDuplexStream<ActRequest, ActResponse>) => call.emit('error', { code: status.INTERNAL, details: 'not ActStream' }),
    shutdown: unary(() => ({})),
    actBatchStream: (call: ServerDuplexStream<ActBatchRequest, ActBatchResponse>) => {
      call.on('data', (request: ActBatchRequest) => {
        seen.push(request);
        void Promise.resolve(move(request, i++)).then((next) => ('code' in next ? call.emit('error', next) : call.write(next)));
      });
      call.on('end', () => call.end());
    },
  });
  return listen(server);
};

const session = async (address: string, options: AgentClientOptions = {}): Promise<AgentClient> => {
  const client = await AgentClient.connect(address, { connectTimeoutMs: 5_000, ...options });
  cleanups.push(() => client.dispose());
  await client.ping([SPACES]);
  await client.reset({ seed: 1, task: TASK });
  return client;
};

describe('AgentClient against a well-behaved TypeScript SDK agent', () => {
  it('runs ping, reset, act and shutdown; the agent sees what was sent and stops', async () => {
    const seen: unknown[] = [];
    const socket = socketPath();
    const served: ServedAgent = await serveAgent(
      {
        name: 'ts-agent',
        version: '3.1.4',
        wants: ['camera/corner'],
        setup: (tasks) => void seen.push(['setup', tasks]),
        reset: (seed, task, episode) => void seen.push(['reset', seed, task, episode]),
        act: (observation, step) => {
          seen.push(['act', Array.from(observation.state!.data as Float32Array), step]);
          return Float32Array.of(-0.25);
        },
        close: () => void seen.push(['close']),
      },
      { socket },
    );
    const client = await AgentClient.connect(served.address);
    expect(await client.ping([SPACES])).toEqual({
      name: 'ts-agent',
      version: '3.1.4',
      wants: ['camera/corner'],
      protocolVersion: '1.3',
      maxConcurrentEpisodes: 1,
    });
    expect(client.actTransport).toBe('stream');
    await client.reset({ seed: 2n ** 63n + 5n, task: TASK, benchmark: 'control', episodeIndex: 4 });
    const action = await client.act(STATE, 7);
    expect(action).toEqual({ action: { dtype: 'float32', shape: [1], data: Float32Array.of(-0.25) } });
    await client.shutdown();
    await served.closed;
    expect(seen).toEqual([['setup', [SPACES]], ['reset', 2n ** 63n + 5n, TASK, { benchmark: 'control', episodeIndex: 4 }], ['act', [1, 0, 0], 7], ['close']]);
  });

  it('reports what the agent threw as INTERNAL with its message', async () => {
    const served = await serveAgent(
      {
        reset: () => {},
        act: () => {
          throw new RangeError('policy exploded');
        },
      },
      { socket: socketPath() },
    );
    cleanups.push(() => served.stop());
    const client = await session(served.address);
    const originalError = console.error;
    console.error = () => {}; // the SDK logs the agent's stack to stderr; keep the test output clean
    try {
      await expect(client.act(STATE, 0)).rejects.toEqual(new AgentCallError('act', 'INTERNAL', 'RangeError: policy exploded'));
    } finally {
      console.error = originalError;
    }
  });
});

describe('AgentClient against misbehaving agents', () => {
  it('a late answer is an AgentDeadlineError naming the call and its deadline', async () => {
    const address = await rawAgent({ act: () => new Promise((resolve) => setTimeout(() => resolve({ action: { action: f32(0) } }), 1_000)) });
    const client = await session(address, { deadlinesMs: { act: 100 } });
    const started = Date.now();
    const error = await client.act(STATE, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentDeadlineError);
    expect(error).toMatchObject({ method: 'act', timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('an oversized response is an AgentMessageTooLargeError, distinct from a deadline', async () => {
    const blob = encodeTensor('blob', { dtype: 'uint8', shape: [300_000], data: new Uint8Array(300_000) });
    const address = await rawAgent({ act: () => ({ action: { action: f32(0), blob } }) });
    const client = await session(address, { maxMessageBytes: 256 * 1024 });
    const error = await client.act(STATE, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentMessageTooLargeError);
    expect(error).toMatchObject({ method: 'act', direction: 'response', limitBytes: 256 * 1024 });
  });

  it("an observation over our bound, or over the agent server's, is an oversized request", async () => {
    const big = { state: STATE.state, frame: { dtype: 'uint8' as const, shape: [200_000], data: new Uint8Array(200_000) } };
    const ours = await session(await rawAgent(), { maxMessageBytes: 128 * 1024 });
    await expect(ours.act(big, 0)).rejects.toMatchObject({ name: 'AgentMessageTooLargeError', direction: 'request', limitBytes: 128 * 1024 });
    const theirs = await session(await rawAgent({}, { 'grpc.max_receive_message_length': 64 * 1024 }));
    await expect(theirs.act(big, 0)).rejects.toMatchObject({ name: 'AgentMessageTooLargeError', direction: 'request', limitBytes: 64 * 1024 });
  });

  it.each([
    ['announces no version', ''],
    ['speaks another major', '2.0'],
  ])('an agent that %s is refused at ping', async (_case, protocolVersion) => {
    const address = await rawAgent({ ping: () => ({ agentName: 'old', agentVersion: '1.0.0', wants: [], protocolVersion, maxConcurrentEpisodes: 0 }) });
    const client = await AgentClient.connect(address);
    cleanups.push(() => client.dispose());
    const error = await client.ping([SPACES]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentProtocolVersionError);
    expect(error).toMatchObject({ announced: protocolVersion, expected: PROTOCOL_VERSION });
  });

  it.each([
    ['a NaN', { action: { shape: [1], dtype: DType.DTYPE_FLOAT32, data: Buffer.from(Float32Array.of(Number.NaN).buffer) } }, 'non_finite'],
    ['too many values', { action: f32(0, 0) }, 'shape_mismatch'],
    ['bytes that do not fill the shape', { action: { shape: [1], dtype: DType.DTYPE_FLOAT32, data: Buffer.alloc(3) } }, 'byte_length'],
    ['another dtype', { action: { shape: [1], dtype: DType.DTYPE_FLOAT64, data: Buffer.alloc(8) } }, 'dtype_mismatch'],
    ['an unknown dtype', { action: { shape: [1], dtype: 9 as DType, data: Buffer.alloc(4) } }, 'unknown_dtype'],
    ['no action at all', { other: f32(0) }, 'missing'],
  ])('an action with %s is an AgentInvalidTensorError', async (_case, action, issue) => {
    const client = await session(await rawAgent({ act: () => ({ action }) }));
    const error = await client.act(STATE, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentInvalidTensorError);
    expect((error as AgentInvalidTensorError).cause.issue).toBe(issue);
  });

  it('an RPC the agent does not implement is an AgentCallError with UNIMPLEMENTED', async () => {
    const server = new Server();
    server.addService(AgentServiceService, {
      ping: unary(() => ({ agentName: 'x', agentVersion: '0.0.1', wants: [], protocolVersion: '1.0', maxConcurrentEpisodes: 0 })),
    } as never);
    const client = await session(await listen(server)).catch((e: unknown) => e);
    expect(client).toMatchObject({ name: 'AgentCallError', method: 'reset', status: 'UNIMPLEMENTED' });
  });

  it('nothing listening is an AgentUnreachableError after the connect timeout', async () => {
    const address = `unix:${socketPath()}`;
    await expect(AgentClient.connect(address, { connectTimeoutMs: 300 })).rejects.toEqual(new AgentUnreachableError(address, 300));
  });

  it("refuses to act before reset or reset a task not announced (an evaluator bug, not the agent's)", async () => {
    const client = await AgentClient.connect(await rawAgent());
    cleanups.push(() => client.dispose());
    await client.ping([SPACES]);
    await expect(client.act(STATE, 0)).rejects.toThrow(AgentUsageError);
    await expect(client.reset({ seed: 0, task: 'reach-v3' })).rejects.toThrow('task reach-v3 was not announced in ping (announced: Pendulum-v1)');
  });
});

describe('AgentClient over ActStream (agents of protocol 1.1)', () => {
  const action = (...values: number[]): ActResponse => ({ action: { action: f32(...values) } });

  it('carries the steps in order on one stream and returns what unary Act returns from the same agent', async () => {
    const seen: number[] = [];
    const served = await serveAgent(
      {
        reset: () => {},
        act: (observation, step) => {
          seen.push(step);
          return Float32Array.of((observation.state!.data as Float32Array)[0]! * 0.5 - step);
        },
      },
      { socket: socketPath() },
    );
    cleanups.push(() => served.stop());
    const steps = async (client: AgentClient) => {
      const actions = [];
      for (let step = 0; step < 4; step++) actions.push(Array.from((await client.act(STATE, step)).action!.data as Float32Array));
      return actions;
    };
    const streamed = await session(served.address);
    const unaryClient = await session(served.address, { actStream: false });
    expect([streamed.actTransport, unaryClient.actTransport]).toEqual(['stream', 'unary']);
    // state[0] = 1: 0.5 - step, worked out by hand.
    expect(await steps(streamed)).toEqual([[0.5], [-0.5], [-1.5], [-2.5]]);
    expect(await steps(unaryClient)).toEqual([[0.5], [-0.5], [-1.5], [-2.5]]);
    expect(seen).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });

  it('an agent of 1.0 (no ActStream) is driven through unary Act', async () => {
    const client = await session(await rawAgent());
    expect(client.actTransport).toBe('unary');
    expect(await client.act(STATE, 0)).toEqual({ action: { dtype: 'float32', shape: [1], data: Float32Array.of(0.5) } });
  });

  it('an agent older than 1.2, or driven over unary Act, gets one episode at a time whatever the client asks for', async () => {
    const older = await session(await rawStreamAgent((request) => action(request.step)), { maxConcurrentEpisodes: 4 });
    expect(older.concurrentEpisodes).toBe(1);
    const first = await older.startEpisode({ seed: 1, task: TASK });
    await expect(older.startEpisode({ seed: 2, task: TASK })).rejects.toThrow('startEpisode with 1 episode(s) in flight, the most this session allows');
    expect(Array.from((await first.act(STATE, 3)).action!.data as Float32Array)).toEqual([3]);
    first.end();
    expect((await older.startEpisode({ seed: 2, task: TASK })).id).toBe('e2');
    const served = await serveAgent({ maxConcurrentEpisodes: 4, reset: () => {}, act: () => Float32Array.of(0) }, { socket: socketPath() });
    cleanups.push(() => served.stop());
    const unaryClient = await session(served.address, { maxConcurrentEpisodes: 4, actStream: false });
    expect(unaryClient.concurrentEpisodes).toBe(1);
    expect((await unaryClient.startEpisode({ seed: 1, task: TASK })).id).toBe('');
  });

  it('a step answered late is an AgentDeadlineError naming act; the next step runs on a fresh stream', async () => {
    const address = await rawStreamAgent((request) =>
      request.step === 0 ? new Promise((resolve) => setTimeout(() => resolve(action(9)), 1_000)) : action(request.step),
    );
    const client = await session(address, { deadlinesMs: { act: 100 } });
    const started = Date.now();
    const error = await client.act(STATE, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentDeadlineError);
    expect(error).toMatchObject({ method: 'act', timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(900);
    // The late answer to step 0 must not be taken for step 1's.
    expect(Array.from((await client.act(STATE, 1)).action!.data as Float32Array)).toEqual([1]);
  });

  it('an agent that ends its stream mid-episode fails the waiting step, naming it', async () => {
    const client = await session(await rawStreamAgent((_request, i) => (i < 2 ? action(i) : 'end')));
    await client.act(STATE, 0);
    await client.act(STATE, 1);
    const error = await client.act(STATE, 2).catch((e: unknown) => e);
    expect(error).toEqual(new AgentCallError('act', 'OK', 'the agent ended its ActStream without answering step 2'));
    // The evaluator's verdict: the agent's fault, not retried.
    expect(verdictOf({ error })).toMatchObject({
      kind: 'CRASH',
      fault: 'agent',
      retryable: false,
      reason: 'the agent failed in act: the agent ended its ActStream without answering step 2',
    });
  });

  it('an error status on the stream is the AgentCallError a unary Act would give', async () => {
    const client = await session(await rawStreamAgent(() => ({ code: status.INTERNAL, details: 'ValueError: bad weights' })));
    await expect(client.act(STATE, 0)).rejects.toEqual(new AgentCallError('act', 'INTERNAL', 'ValueError: bad weights'));
  });

  it('oversized messages both ways are AgentMessageTooLargeErrors with their direction and bound', async () => {
    const blob = encodeTensor('blob', { dtype: 'uint8', shape: [300_000], data: new Uint8Array(300_000) });
    const huge = await session(await rawStreamAgent(() => ({ action: { action: f32(0), blob } })), { maxMessageBytes: 256 * 1024 });
    await expect(huge.act(STATE, 0)).rejects.toMatchObject({ name: 'AgentMessageTooLargeError', method: 'act', direction: 'response', limitBytes: 256 * 1024 });
    const big = { state: STATE.state, frame: { dtype: 'uint8' as const, shape: [200_000], data: new Uint8Array(200_000) } };
    const ours = await session(await rawStreamAgent(() => action(0)), { maxMessageBytes: 128 * 1024 });
    await expect(ours.act(big, 0)).rejects.toMatchObject({ name: 'AgentMessageTooLargeError', direction: 'request', limitBytes: 128 * 1024 });
    const theirs = await session(await rawStreamAgent(() => action(0), { 'grpc.max_receive_message_length': 64 * 1024 }));
    await expect(theirs.act(big, 0)).rejects.toMatchObject({ name: 'AgentMessageTooLargeError', direction: 'request', limitBytes: 64 * 1024 });
  });

  it('a malformed action on the stream is an AgentInvalidTensorError', async () => {
    const client = await session(
      await rawStreamAgent(() => ({
        action: { action: { shape: [1], dtype: DType.DTYPE_FLOAT32, data: Buffer.from(Float32Array.of(Number.POSITIVE_INFINITY).buffer) } },
      })),
    );
    const error = await client.act(STATE, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentInvalidTensorError);
    expect((error as AgentInvalidTensorError).cause.issue).toBe('non_finite');
  });

  it('an agent that announces 1.1 without serving ActStream is an AgentCallError with UNIMPLEMENTED', async () => {
    const address = await rawAgent({ ping: () => ({ agentName: 'liar', agentVersion: '0.0.1', wants: [], protocolVersion: '1.1', maxConcurrentEpisodes: 0 }) });
    await expect((await session(address)).act(STATE, 0)).rejects.toMatchObject({ name: 'AgentCallError', method: 'act', status: 'UNIMPLEMENTED' });
  });
});

describe('AgentClient over ActBatchStream (agents of protocol 1.3)', () => {
  /** The action a raw agent answers to a step: [step + 10 × the episode's number] (e3 → 30). */
  const answerOf = (step: ActRequest): ActResponse => ({ action: { action: f32(step.step + 10 * Number(step.episodeId.slice(1))) } });
  const answerAll = (request: ActBatchRequest): ActBatchResponse => ({ actions: request.steps.map(answerOf) });
  const valuesOf = async (answer: Promise<{ action?: { data: unknown } }>): Promise<number[]> => Array.from((await answer).action!.data as Float32Array);
  const batching = async (address: string, options: AgentClientOptions = {}): Promise<AgentClient> => {
    const client = await AgentClient.connect(address, { connectTimeoutMs: 5_000, maxConcurrentEpisodes: 4, ...options });
    cleanups.push(() => client.dispose());
    await client.ping([SPACES]);
    return client;
  };
  const start = (client: AgentClient, n: number) => Promise.all(Array.from({ length: n }, (_, seed) => client.startEpisode({ seed, task: TASK })));

  it('sends the steps taken together in at most 2 batches of half the episodes each, and names the episodes that ended', async () => {
    const seen: ActBatchRequest[] = [];
    const client = await batching(await rawBatchAgent(answerAll, seen));
    expect(client.batchesSteps).toBe(true);
    const [a, b, c, d] = await start(client, 4);
    expect(await Promise.all([a!, b!, c!, d!].map((e) => valuesOf(e.act(STATE, 0))))).toEqual([[10], [20], [30], [40]]);
    a!.end();
    expect(await Promise.all([valuesOf(b!.act(STATE, 1)), valuesOf(c!.act(STATE, 1))])).toEqual([[21], [31]]);
    // 4 in flight: batches of 2; then 3 in flight: 2 at most, and the first batch after a's end names it.
    expect(seen.map((batch) => [batch.steps.map((step) => `${step.episodeId}@${step.step}`), batch.finishedEpisodeIds])).toEqual([
      [['e1@0', 'e2@0'], []],
      [['e3@0', 'e4@0'], []],
      [['e2@1', 'e3@1'], ['e1']],
    ]);
  });

  it('one batch in flight carries every step taken together', async () => {
    const seen: ActBatchRequest[] = [];
    const client = await batching(await rawBatchAgent(answerAll, seen), { batchesInFlight: 1 });
    const episodes = await start(client, 4);
    expect(await Promise.all(episodes.map((e) => valuesOf(e.act(STATE, 5))))).toEqual([[15], [25], [35], [45]]);
    expect(seen.map((batch) => batch.steps.length)).toEqual([4]);
  });

  it('a batch holds no more steps than fit the message bound together', async () => {
    const seen: ActBatchRequest[] = [];
    const client = await batching(await rawBatchAgent(answerAll, seen), { batchesInFlight: 1, maxMessageBytes: 256 * 1024 });
    const big = { state: STATE.state, frame: { dtype: 'uint8' as const, shape: [100_000], data: new Uint8Array(100_000) } };
    const episodes = await start(client, 4);
    expect(await Promise.all(episodes.map((e) => valuesOf(e.act(big, 0))))).toEqual([[10], [20], [30], [40]]);
    // Two 100 KB frames fit 256 KiB, three do not.
    expect(seen.map((batch) => batch.steps.length)).toEqual([2, 2]);
  });

  it('a batch answered with another number of actions fails each of its steps as a protocol violation (PROTOCOL)', async () => {
    const client = await batching(await rawBatchAgent((request) => ({ actions: request.steps.slice(1).map(answerOf) })), { batchesInFlight: 1 });
    const [a, b] = await start(client, 2);
    const errors = await Promise.all([a!.act(STATE, 0).catch((e: unknown) => e), b!.act(STATE, 0).catch((e: unknown) => e)]);
    const expected = new AgentProtocolViolationError('act', 'it answered a batch of 2 step(s) with 1 action(s)');
    expect(errors).toEqual([expected, expected]);
    expect(verdictOf({ error: errors[0] })).toMatchObject({
      kind: 'PROTOCOL',
      fault: 'agent',
      reason: 'agent act broke the protocol: it answered a batch of 2 step(s) with 1 action(s)',
    });
  });

  it('a batch answered late fails each of its steps with the Act deadline (TIMEOUT); episodes started later get a fresh stream', async () => {
    const late = (request: ActBatchRequest) => new Promise<BatchMove>((resolve) => setTimeout(() => resolve(answerAll(request)), 1_000));
    const client = await batching(await rawBatchAgent((request, i) => (i === 0 ? late(request) : answerAll(request))), {
      batchesInFlight: 1,
      deadlinesMs: { act: 100 },
    });
    const [a, b] = await start(client, 2);
    const started = Date.now();
    const errors = await Promise.all([a!.act(STATE, 0).catch((e: unknown) => e), b!.act(STATE, 0).catch((e: unknown) => e)]);
    expect(errors).toEqual([new AgentDeadlineError('act', 100), new AgentDeadlineError('act', 100)]);
    expect(Date.now() - started).toBeLessThan(900);
    expect(verdictOf({ error: errors[0] })).toMatchObject({ kind: 'TIMEOUT', deadline: 'act', reason: 'agent act missed its deadline of 100 ms' });
    // The episodes of the cancelled stream are over; the next ones run on a fresh stream, and no late answer pairs with them.
    await expect(a!.act(STATE, 1)).rejects.toEqual(new AgentDeadlineError('act', 100));
    a!.end();
    b!.end();
    const [c, d] = await start(client, 2);
    expect(await Promise.all([valuesOf(c!.act(STATE, 0)), valuesOf(d!.act(STATE, 0))])).toEqual([[30], [40]]);
  });

  it('an invalid action fails the step of its episode only; the others in the batch, and later steps, go on', async () => {
    const nan: ActResponse = { action: { action: { shape: [1], dtype: DType.DTYPE_FLOAT32, data: Buffer.from(Float32Array.of(Number.NaN).buffer) } } };
    const client = await batching(
      await rawBatchAgent((request) => ({ actions: request.steps.map((step) => (step.episodeId === 'e2' ? nan : answerOf(step))) })),
      { batchesInFlight: 1 },
    );
    const [a, b, c] = await start(client, 3);
    const [first, second, third] = await Promise.all([valuesOf(a!.act(STATE, 0)), b!.act(STATE, 0).catch((e: unknown) => e), valuesOf(c!.act(STATE, 0))]);
    expect([first, third]).toEqual([[10], [30]]);
    expect(second).toBeInstanceOf(AgentInvalidTensorError);
    expect((second as AgentInvalidTensorError).cause.issue).toBe('non_finite');
    expect(verdictOf({ error: second })).toMatchObject({ kind: 'INVALID_ACTION' });
    expect(await Promise.all([valuesOf(a!.act(STATE, 1)), valuesOf(c!.act(STATE, 1))])).toEqual([[11], [31]]);
  });

  it('an error status on the stream fails every step waiting with the AgentCallError of a unary Act', async () => {
    const client = await batching(await rawBatchAgent(() => ({ code: status.INTERNAL, details: 'ValueError: bad weights' })));
    const [a, b] = await start(client, 2);
    const errors = await Promise.all([a!.act(STATE, 0).catch((e: unknown) => e), b!.act(STATE, 0).catch((e: unknown) => e)]);
    expect(errors).toEqual([
      new AgentCallError('act', 'INTERNAL', 'ValueError: bad weights'),
      new AgentCallError('act', 'INTERNAL', 'ValueError: bad weights'),
    ]);
  });

  it('an agent of 1.2 gets one ActStream per episode in flight, as before', async () => {
    const address = await rawStreamAgent(
      (request, i) => ({ action: { action: f32(i + 10 * Number(request.episodeId.slice(1))) } }),
      {},
      {
        protocolVersion: '1.2',
        maxConcurrentEpisodes: 4,
      },
    );
    const client = await batching(address);
    expect([client.concurrentEpisodes, client.batchesSteps]).toEqual([4, false]);
    const [a, b] = await start(client, 2);
    // i counts the steps of each stream: both episodes' first steps are their stream's first.
    expect(await Promise.all([valuesOf(a!.act(STATE, 0)), valuesOf(b!.act(STATE, 0))])).toEqual([[10], [20]]);
    expect(await Promise.all([valuesOf(a!.act(STATE, 1)), valuesOf(b!.act(STATE, 1))])).toEqual([[11], [21]]);
  });

  it('no more episodes than batches in flight, or actBatch false, keeps one ActStream per episode with an agent of 1.3', async () => {
    const address = await rawBatchAgent(answerAll);
    expect((await batching(address, { maxConcurrentEpisodes: 1 })).batchesSteps).toBe(false);
    expect((await batching(address, { maxConcurrentEpisodes: 2 })).batchesSteps).toBe(false);
    expect((await batching(address, { maxConcurrentEpisodes: 2, batchesInFlight: 1 })).batchesSteps).toBe(true);
    expect((await batching(address, { maxConcurrentEpisodes: 3 })).batchesSteps).toBe(true);
    expect((await batching(address, { actBatch: false })).batchesSteps).toBe(false);
    await expect(batching(address, { batchesInFlight: 0 })).rejects.toThrow('batchesInFlight must be a positive integer, got 0');
  });
});
