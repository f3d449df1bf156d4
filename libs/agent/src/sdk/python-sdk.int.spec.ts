import { afterAll, describe, expect, it } from '@jest/globals';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Rng } from '#sim';
import { eventually } from '#testing';
import { AgentCallError, AgentDeadlineError, AgentMessageTooLargeError } from '../errors.js';
import { AgentServiceClient, DType } from '../generated/kinitro/agent/v1/agent.js';
import { PROTOCOL_VERSION } from '../protocol.js';
import type { TaskSpaces } from '../tensor/spec.js';
import { AgentProcess, PYTHON, PYTHON_SDK_DIR } from '../testing/agent-process.js';

/** The Python SDK (sdk/python/kinitro_agent) as miners run it: real /usr/bin/python3 processes over a Unix socket. */

const FIXTURES = resolve('sdk/python/tests');
const TEMPLATE = resolve('sdk/python/template');
const TASK = 'reach-v3';
/** reach-v3's spaces, written out: 39 float64 observations, 4 float32 actions in [-1, 1]. */
const SPACES: TaskSpaces = {
  task: TASK,
  observation: [{ name: 'state', shape: [39], dtype: 'float64' }],
  action: [{ name: 'action', shape: [4], dtype: 'float32', low: [-1, -1, -1, -1], high: [1, 1, 1, 1] }],
};
const STATE = { state: { dtype: 'float64' as const, shape: [39], data: Float64Array.from({ length: 39 }, (_, i) => i / 8) } };

const agents: AgentProcess[] = [];
const start = (agent: string, cwd = FIXTURES, args: string[] = []): AgentProcess => {
  const process = AgentProcess.python(agent, cwd, args);
  agents.push(process);
  return process;
};
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
});

const session = async (agent: AgentProcess, options: Parameters<AgentProcess['connect']>[0] = {}) => {
  const client = await agent.connect(options);
  await client.ping([SPACES]);
  await client.reset({ seed: 3, task: TASK });
  return client;
};

describe('Python SDK', () => {
  it('encodes tensors to the same golden bytes as the TypeScript codec', () => {
    const script = [
      'import numpy as np',
      'from kinitro_agent.tensors import encode',
      "print(encode('a', np.array([1.5, -2.0], dtype=np.float32)).SerializeToString().hex())",
      "print(encode('a', [1.5, -2.0], None).dtype, encode('a', np.float64(1.0)).shape)",
    ].join('\n');
    const run = spawnSync(PYTHON, ['-c', script], { env: { ...process.env, PYTHONPATH: PYTHON_SDK_DIR, PYTHONDONTWRITEBYTECODE: '1' }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    // The same hex as codec.spec.ts pins for the TypeScript side; float64 is the default of a Python list; a scalar has no shape.
    expect(run.stdout).toBe('0a010210011a080000c03f000000c0\n2 []\n');
  });

  it.each([
    ['ActStream', true],
    ['unary Act', false],
  ])('serves an agent over %s: identity, the protocol version, seeds and tensors of every dtype arrive intact', async (_transport, actStream) => {
    const agent = start('fixture_agents:Echo');
    const client = await agent.connect({ actStream });
    expect(await client.ping([SPACES])).toEqual({
      name: 'echo',
      version: '2.0.0',
      wants: ['camera/corner'],
      protocolVersion: PROTOCOL_VERSION,
      maxConcurrentEpisodes: 1,
    });
    expect(client.actTransport).toBe(actStream ? 'stream' : 'unary');
    const seed = 2n ** 63n + 123n;
    await client.reset({ seed, task: TASK });
    const observation = {
      ...STATE,
      'camera/corner': { dtype: 'uint8' as const, shape: [2, 2, 3], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) },
      counter: { dtype: 'int64' as const, shape: [], data: BigInt64Array.of(-(2n ** 62n)) },
      index: { dtype: 'int32' as const, shape: [2], data: Int32Array.of(-7, 2 ** 31 - 1) },
    };
    const action = await client.act(observation, 0);
    // The Python float64 array was cast to the action space's float32 [4] by the SDK.
    expect(action.action).toEqual({ dtype: 'float32', shape: [4], data: new Float32Array(4).fill(Number(seed % 1000n)) });
    for (const [name, value] of Object.entries(observation)) expect(action[`echo/${name}`]).toEqual(value);
    await client.shutdown();
    expect(await agent.exited).toEqual([0, null]);
  });

  it('serves the template agent directory as uploaded, named by its kinitro.json', async () => {
    const agent = start('agent:MyAgent', TEMPLATE);
    const client = await agent.connect();
    expect(await client.ping([SPACES])).toMatchObject({ name: 'my-agent', version: '0.1.0' });
    await client.reset({ seed: 0, task: TASK });
    expect(await client.act(STATE, 0)).toEqual({ action: { dtype: 'float32', shape: [4], data: new Float32Array(4) } });
    await client.shutdown();
    expect(await agent.exited).toEqual([0, null]);
  });

  it('reports an exception in act as INTERNAL with its message, the traceback on stderr, and keeps serving', async () => {
    const agent = start('fixture_agents:Raises');
    const client = await session(agent);
    await expect(client.act(STATE, 0)).rejects.toEqual(new AgentCallError('act', 'INTERNAL', 'RuntimeError: policy exploded'));
    await eventually('the traceback on stderr', () => agent.stderr.includes('Traceback'));
    await expect(client.act(STATE, 1)).rejects.toBeInstanceOf(AgentCallError);
    client.dispose();
  });

  it('refuses to send a NaN action, telling the miner which element', async () => {
    const client = await session(start('fixture_agents:NanAction'));
    await expect(client.act(STATE, 0)).rejects.toEqual(
      new AgentCallError('act', 'INTERNAL', 'TensorError: action: element 1 is nan: NaN and ±Inf are not allowed'),
    );
    client.dispose();
  });

  it('a slow agent misses its deadline; one that dies mid-call is UNAVAILABLE', async () => {
    const agent = start('fixture_agents:Slow');
    const client = await session(agent, { deadlinesMs: { act: 300 } });
    expect(client.actTransport).toBe('stream'); // the deadline is the client's own timer on the ActStream step
    await expect(client.act(STATE, 0)).rejects.toEqual(new AgentDeadlineError('act', 300));
    const pending = client.act(STATE, 1).catch((e: unknown) => e);
    agent.child.kill('SIGKILL');
    expect(await pending).toMatchObject({ name: 'AgentCallError', status: 'UNAVAILABLE' });
    client.dispose();
  });

  it("an action over the client's size bound is AgentMessageTooLargeError", async () => {
    const client = await session(start('fixture_agents:Huge'), { maxMessageBytes: 1024 * 1024 });
    await expect(client.act(STATE, 0)).rejects.toBeInstanceOf(AgentMessageTooLargeError);
    client.dispose();
  });

  it("answers an observation that breaks the contract with INVALID_ARGUMENT (the evaluator's fault, not a crash)", async () => {
    const agent = start('fixture_agents:Echo');
    await (await agent.connect()).ping([SPACES]); // waits for the socket; the raw stub below bypasses the client's checks
    const stub = new AgentServiceClient(agent.address, credentials.createInsecure());
    const call = <T>(fn: (cb: (e: ServiceError | null, r: T) => void) => void) => new Promise<T>((ok, ko) => fn((e, r) => (e ? ko(e) : ok(r))));
    await call((cb) => stub.reset({ seed: 1n, task: TASK, benchmark: '', episodeIndex: 0, episodeId: '' }, cb));
    const bad = { state: { shape: [39], dtype: DType.DTYPE_FLOAT64, data: Buffer.alloc(38 * 8) } };
    await expect(call((cb) => stub.act({ observation: bad, step: 0, episodeId: '' }, new Metadata(), cb))).rejects.toMatchObject({
      code: 3,
      details: 'observation state: shape [39] of float64 needs 312 bytes, got 304',
    });
    // The same refusal ends an ActStream.
    const stream = stub.actStream();
    const ended = new Promise((resolve) => stream.on('error', resolve));
    stream.write({ observation: bad, step: 0, episodeId: '' });
    expect(await ended).toMatchObject({ code: 3, details: 'observation state: shape [39] of float64 needs 312 bytes, got 304' });
    await expect(call((cb) => stub.reset({ seed: 1n, task: 'push-v3', benchmark: '', episodeIndex: 0, episodeId: '' }, cb))).rejects.toMatchObject({
      code: 9,
      details: 'task push-v3 was not announced in ping',
    });
    // Fuzz: random wire tensors as the observation; the SDK answers or refuses them, it never crashes.
    const rng = new Rng(5);
    const codes = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const shape = Array.from({ length: Math.floor(rng.uniform(0, 10)) }, () => Math.floor(rng.uniform(0, 2 ** 32)) >>> Math.floor(rng.uniform(0, 32)));
      const data = Buffer.from(Array.from({ length: Math.floor(rng.uniform(0, 48)) }, () => Math.floor(rng.uniform(0, 256))));
      const observation = { [rng.uniform(0, 1) < 0.5 ? 'state' : 'other']: { shape, dtype: Math.floor(rng.uniform(-1, 8)) as DType, data } };
      await call((cb) => stub.act({ observation, step: i, episodeId: '' }, new Metadata(), cb)).then(
        () => codes.add(0),
        (error: ServiceError) => codes.add(error.code),
      );
    }
    expect([...codes].filter((code) => code !== 3)).toEqual([]);
    stub.close();
  });

  it('exits with a clear message when --agent names nothing importable', async () => {
    const agent = start('no_such_module:Agent');
    const [code] = await agent.exited;
    expect(code).not.toBe(0);
    expect(agent.stderr).toContain("No module named 'no_such_module'");
  });
});
