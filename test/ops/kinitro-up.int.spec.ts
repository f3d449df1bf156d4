import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatorDurable, topology } from '#contracts';
import { connect, deleteTopology, JetStreamEventStore } from '#eventing';
import { randomUUID } from 'node:crypto';
import { PACKAGE_ROOT } from '#platform';
import { devKey, dropSchemas, eventually, SubtensorTestNode, testNamespace } from '#testing';
import { probeAgentHost } from '../support/agent-host.js';

/**
 * `kinitro up` as an operator runs it: the built CLI, a real process, every app against the shared NATS and
 * Postgres (a namespace and schema of its own) and the in-repo Subtensor node. It must serve /health on every app,
 * the named series on every /metrics, JSON log lines on stdout, and stop cleanly on SIGTERM.
 */
const CLI = join(PACKAGE_ROOT, 'dist/apps/cli/src/main.js');
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const namespace = testNamespace('kinitro up');

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** `count` consecutive free ports (up gives each app the next one). */
const freePorts = async (count: number): Promise<number> => {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const checks = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)));
    if (checks.every(Boolean)) return base;
  }
};

let node: SubtensorTestNode;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let dir: string;
let apiPort: number;
let healthBase: number;
let exited: Promise<number | null>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  node = await SubtensorTestNode.start();
  dir = await mkdtemp(join(tmpdir(), 'kinitro-up-'));
  const host = await probeAgentHost();
  healthBase = await freePorts(6);
  apiPort = healthBase + 5;
  child = spawn(process.execPath, [CLI, 'up', '--health-port', String(healthBase)], {
    env: {
      PATH: process.env.PATH ?? '',
      NATS_URL,
      DATABASE_URL,
      KINITRO_NAMESPACE: namespace,
      DATABASE_SCHEMA: namespace,
      API_PORT: String(apiPort),
      LOG_FORMAT: 'json',
      NETUID: '1',
      SUBTENSOR_WS_URL: node.url,
      VALIDATOR_HOTKEY_URI: '//Alice',
      AGENT_SANDBOX: host.sandbox,
      AGENT_CACHE_DIR: join(dir, 'agents'),
      OBJECT_STORE_DIR: join(dir, 'objects'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
  await node?.stop();
  const nats = await connect(NATS_URL, 'up-cleanup');
  const t = topology(namespace);
  await deleteTopology(nats.jsm, t);
  await nats.jsm.streams.delete(`KV_${t.activityBucket}`).catch(() => undefined);
  await nats.close();
  await dropSchemas(DATABASE_URL, namespace);
  await rm(dir, { recursive: true, force: true });
});

const get = async (port: number, path: string) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
  return response && { status: response.status, text: await response.text() };
};

/** Each app's health port, in up's order (projector, chain monitor, scheduler, validator, evaluator). */
const apps = () => ({
  projector: healthBase,
  'chain-monitor': healthBase + 1,
  scheduler: healthBase + 2,
  validator: healthBase + 3,
  evaluator: healthBase + 4,
});

describe('kinitro up', () => {
  it('serves /health on every app once they are ready', async () => {
    await eventually(
      'every app ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`kinitro up exited ${child.exitCode}:\n${stderr}\n${stdout.slice(-4000)}`);
        const answers = await Promise.all([get(apiPort, '/api/v1/health/ready'), ...Object.values(apps()).map((port) => get(port, '/health/ready'))]);
        return answers.every((a) => a?.status === 200);
      },
      90_000,
    );
    expect((await get(apiPort, '/api/v1/health'))!.status).toBe(200);
    for (const port of Object.values(apps())) expect(JSON.parse((await get(port, '/health/live'))!.text)).toEqual({ status: 'ok' });
  }, 120_000);

  it('exposes the named series on every /metrics', async () => {
    const metrics = async (port: number) => (await get(port, '/metrics'))!.text;
    const t = topology(namespace);
    // Latency by route: the readiness request above is in the API's histogram under its pattern.
    expect(await metrics(apiPort)).toMatch(/kinitro_http_request_seconds_count\{method="GET",route="\/api\/v1\/health\/ready",status="200"\} [1-9]/);
    const projector = await metrics(apps().projector);
    expect(projector).toContain(`kinitro_projector_lag_events{schema="${namespace}"} 0`);
    expect(projector).toContain('# TYPE kinitro_projector_events_applied_total counter');
    expect(await metrics(apps().scheduler)).toContain(`kinitro_consumer_pending_messages{stream="${t.eventsStream}",durable="scheduler"} 0`);
    const evaluator = await metrics(apps().evaluator);
    expect(evaluator).toContain(`kinitro_consumer_pending_messages{stream="${t.workStream}",durable="${evaluatorDurable(devKey('//Alice').address)}"} 0`);
    expect(evaluator).toContain(`kinitro_dead_letters{stream="${t.deadLetterStream}",durable="${evaluatorDurable(devKey('//Alice').address)}"} 0`);
    for (const family of ['kinitro_agent_act_seconds histogram', 'kinitro_episodes_total counter', 'kinitro_sandbox_verdicts_total counter']) {
      expect(evaluator).toContain(`# TYPE ${family}`);
    }
    for (const port of Object.values(apps())) expect(await metrics(port)).toContain('kinitro_process_resident_memory_bytes');

    // An event appended: the projector applies it, its counter moves and its lag is back to 0.
    const nats = await connect(NATS_URL, 'up-append');
    try {
      const requestId = randomUUID();
      await new JetStreamEventStore(nats.js, nats.jsm, { topology: t, producer: { app: 'test', version: '1' } }).append(
        'request',
        requestId,
        [{ type: 'JobCancellationRequested', data: { requestId, requestedBy: 'operator', jobId: randomUUID() } }],
        { expected: 'any' },
      );
    } finally {
      await nats.close();
    }
    // The counter moves once the batch's transaction has committed, so a scrape may fall between the two: it is
    // waited for on its own (lag and checkpoint come from one read and agree).
    const applied = await eventually(
      'the event applied',
      async () => {
        const text = await metrics(apps().projector);
        return text.includes(`kinitro_projector_checkpoint_sequence{schema="${namespace}"} 1`) && text;
      },
      30_000,
    );
    expect(applied).toContain(`kinitro_projector_lag_events{schema="${namespace}"} 0`);
    await eventually(
      'the applied counter at 1',
      async () => (await metrics(apps().projector)).includes(`kinitro_projector_events_applied_total{schema="${namespace}"} 1`),
      10_000,
    );
  }, 60_000);

  it('writes only JSON lines on stdout, each naming its app, and stops every app on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(10);
    const parsed = lines.map((line) => JSON.parse(line) as { app: string; level: string; msg: string; time: string });
    expect(new Set(parsed.map((l) => l.app))).toEqual(new Set(['Projector', 'Api', 'ChainMonitor', 'Scheduler', 'Validator', 'Evaluator']));
    for (const line of parsed) expect(line).toEqual(expect.objectContaining({ level: expect.any(String), msg: expect.any(String), time: expect.any(String) }));
    expect(
      parsed
        .filter((l) => l.msg.startsWith('SIGTERM: stopping'))
        .map((l) => l.app)
        .sort(),
    ).toEqual(['Api', 'ChainMonitor', 'Evaluator', 'Projector', 'Scheduler', 'Validator']);
    expect(stderr).toContain('SIGTERM: stopping every app');
  }, 60_000);
});
