import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kvm } from '@nats-io/kv';
import { episodeHeartbeatKey, newEvent, topology, type BenchmarkSpec, type NewEvent, type Topology } from '#contracts';
import { competitionDecider, deriveSeeds, episodeSeed, evaluationIdFor, jobDecider, submissionDecider, summarize } from '#domain';
import { applyTopology, connect, deleteTopology, handleCommand, JetStreamEventStore, type JetStreamConnection } from '#eventing';
import { devKey, dropSchemas, eventually, testNamespace, testServices, testSigner } from '#testing';
import { runCli } from '../cli.js';
import { commands } from '../commands.js';

// Two compiled apps start on a shared, often busy machine.
jest.setTimeout(60_000);

/**
 * `kinitro miner status` against the real API and projector (compiled: `npm run build` first), the log seeded
 * through the real event store the way the scheduler, validators and evaluators append to it. One submission,
 * two jobs of 2 tasks x 2 episodes:
 *  - job "control": EVE completed 3 of 4 (reach 2/2, push 1/2); FERDIE failed on a crash in reach #0; DAVE is
 *    running push #0 (2 recorded) with a heartbeat.
 *  - job "second": CHARLIE never claimed it and it timed out; EVE had claimed it when it was cancelled.
 */
const API_MAIN = resolve('dist/apps/api/src/main.js');
const PROJECTOR_MAIN = resolve('dist/apps/projector/src/main.js');
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
const EVE = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
const FERDIE = '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL';
const REVISION = 'a'.repeat(40);
const STDERR = [
  'loading policy.pt',
  'Traceback (most recent call last):',
  '  File "agent.py", line 9, in act',
  '    return policy(obs)',
  '  File "policy.py", line 3, in policy',
  '    return 1 / 0',
  'ZeroDivisionError: division by zero',
].join('\n');

const benchmark = (name: string): BenchmarkSpec => ({
  name,
  provider: 'control',
  tasks: ['reach-v3', 'push-v3'],
  episodesPerTask: 2,
  maxSteps: 100,
  timeoutSeconds: 600,
});

let namespace: string;
let t: Topology;
let nats: JetStreamConnection;
let store: JetStreamEventStore;
let databaseUrl: string;
let apiUrl: string;
let objectsDir: string;
const children: ChildProcess[] = [];
const w = {} as Record<'submission' | 'job' | 'job2', string>;

const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
};

const startApp = (main: string, env: Record<string, string>): void => {
  children.push(spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] }));
};

const api = async (path: string) => (await fetch(`${apiUrl}/api/v1${path}`)).json() as Promise<any>;

const run = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(commands, ['miner', 'status', '--hotkey', ALICE, '--api', apiUrl, ...argv], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

const append = (aggregate: 'evaluation' | 'episode', id: string, ...events: NewEvent[]) => store.append(aggregate, id, events, { expected: 'any' });

/** What a validator appends when it claims and an evaluator starts the evaluation. */
const claimAndStart = (jobId: string, validator: string, evaluator: string) => {
  const ref = { evaluationId: evaluationIdFor(jobId, validator), jobId, validator };
  return append(
    'evaluation',
    ref.evaluationId,
    newEvent('EvaluationClaimed', { ...ref, plannedEpisodes: 4 }),
    newEvent('EvaluationStarted', { ...ref, evaluator }),
  );
};

/** An evaluator's events for one episode: started, then recorded with this outcome (or left running). */
const episode = async (
  jobId: string,
  validator: string,
  evaluator: string,
  task: string,
  episodeIndex: number,
  outcome?: { success: boolean; totalReward: number },
) => {
  const episodeId = randomUUID();
  const seed = episodeSeed({ ...benchmark('control'), seeds: deriveSeeds(jobId, benchmark('control')) }, task, episodeIndex);
  const ref = { episodeId, evaluationId: evaluationIdFor(jobId, validator), jobId, validator, task, episodeIndex, seed };
  const started = newEvent('EpisodeStarted', { ...ref, evaluator, attempt: 1 });
  if (!outcome) return append('episode', episodeId, started).then(() => episodeId);
  const recorded = newEvent('EpisodeRecorded', {
    ...ref,
    ...outcome,
    steps: 100,
    terminated: outcome.success,
    truncated: !outcome.success,
    durationMs: 900,
    trajectoryKey: null,
    frames: [],
    sampledSteps: [],
    evaluator,
    attempt: 1,
  });
  await append('episode', episodeId, started, recorded);
  return episodeId;
};

beforeAll(async () => {
  for (const main of [API_MAIN, PROJECTOR_MAIN]) if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm run build)`);
  const services = await testServices();
  databaseUrl = services.databaseUrl;
  namespace = testNamespace('cli status');
  t = topology(namespace);
  nats = await connect(services.natsUrl, 'test-cli-status');
  await applyTopology(nats.jsm, t, { replicas: 1 });
  // The validators' events are signed with their dev keys, and a metagraph gives them their permits (the projector's judge checks both).
  for (const uri of ['//Charlie', '//Dave', '//Eve', '//Ferdie']) devKey(uri);
  store = new JetStreamEventStore(nats.js, nats.jsm, { topology: t, producer: { app: 'cli-status-test', version: '0.0.0' }, signer: testSigner });
  const neurons = [CHARLIE, DAVE, EVE, FERDIE].map((hotkey, uid) => ({ uid, hotkey, coldkey: hotkey, stake: '1000', validatorPermit: true, active: true }));
  await store.append('metagraph', '1', [newEvent('MetagraphSynced', { netuid: 1, block: 1, blockHash: `0x${'0'.repeat(63)}1`, neurons })], { expected: 'any' });
  objectsDir = await mkdtemp(join(tmpdir(), 'kinitro-cli-status-'));
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = { NATS_URL: services.natsUrl, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: namespace, KINITRO_NAMESPACE: namespace, LOG_LEVEL: 'error' };
  startApp(PROJECTOR_MAIN, env);
  startApp(API_MAIN, { ...env, API_PORT: String(port), API_HOST: '127.0.0.1', OBJECT_STORE_DIR: objectsDir });

  // The scheduler's facts, through the same deciders it uses.
  const settings = {
    name: 'arena',
    benchmarks: [benchmark('control'), benchmark('second')],
    weightShare: 1,
    maxRepoBytes: 1e9,
    submissionRateLimit: { count: 5, perSeconds: 60 },
  };
  await handleCommand(store, competitionDecider, 'arena', { type: 'CreateCompetition', competitionId: 'arena', settings, by: 'seed' });
  await handleCommand(store, competitionDecider, 'arena', { type: 'ActivateCompetition', by: 'seed' });
  w.submission = randomUUID();
  const repo = 'alice/agent';
  await handleCommand(store, submissionDecider, w.submission, {
    type: 'ReceiveSubmission',
    submissionId: w.submission,
    hotkey: ALICE,
    block: 100,
    commitmentEventId: randomUUID(),
    competitionId: 'arena',
    repo,
    revision: REVISION,
  });
  await handleCommand(store, submissionDecider, w.submission, { type: 'AcceptSubmission', revision: REVISION, repoBytes: 1000 });
  for (const [key, name] of [
    ['job', 'control'],
    ['job2', 'second'],
  ] as const) {
    w[key] = randomUUID();
    await handleCommand(store, jobDecider, w[key], {
      type: 'CreateJob',
      jobId: w[key],
      submissionId: w.submission,
      competitionId: 'arena',
      hotkey: ALICE,
      repo,
      revision: REVISION,
      benchmark: benchmark(name),
      causedAt: '2026-03-01T12:00:00.000Z',
    });
  }

  // EVE: every episode recorded, then the summary the validator computes from them.
  await claimAndStart(w.job, EVE, 'ev-a');
  const outcomes = [
    { task: 'reach-v3', episodeIndex: 0, success: true, totalReward: 10 },
    { task: 'reach-v3', episodeIndex: 1, success: true, totalReward: 12 },
    { task: 'push-v3', episodeIndex: 0, success: true, totalReward: 8 },
    { task: 'push-v3', episodeIndex: 1, success: false, totalReward: 2 },
  ];
  for (const o of outcomes) await episode(w.job, EVE, 'ev-a', o.task, o.episodeIndex, o);
  const eve = { evaluationId: evaluationIdFor(w.job, EVE), jobId: w.job, validator: EVE };
  const recorded = new Map(outcomes.map((o, slot) => [slot, { success: o.success, totalReward: o.totalReward, eventId: randomUUID() }]));
  await append('evaluation', eve.evaluationId, newEvent('EvaluationCompleted', { ...eve, ...summarize(benchmark('control'), recorded) }));

  // FERDIE: the agent crashed in its first episode, which fails the evaluation.
  await claimAndStart(w.job, FERDIE, 'ev-z');
  const crashed = await episode(w.job, FERDIE, 'ev-z', 'reach-v3', 0);
  const ferdie = { evaluationId: evaluationIdFor(w.job, FERDIE), jobId: w.job, validator: FERDIE };
  const crash = { verdict: 'CRASH', fault: 'miner', stderrTail: STDERR } as const;
  const crashRef = {
    episodeId: crashed,
    ...ferdie,
    task: 'reach-v3',
    episodeIndex: 0,
    seed: episodeSeed({ ...benchmark('control'), seeds: deriveSeeds(w.job, benchmark('control')) }, 'reach-v3', 0),
  };
  await append('episode', crashed, newEvent('EpisodeFailed', { ...crashRef, ...crash, evaluator: 'ev-z', attempt: 1, reason: 'the agent exited with code 1' }));
  await append(
    'evaluation',
    ferdie.evaluationId,
    newEvent('EvaluationFailed', { ...ferdie, ...crash, reason: 'agent_crashed', detail: 'episode reach-v3/0 crashed', episodeId: crashed }),
  );

  // DAVE: two recorded, push #0 (slot 2) running with a heartbeat last seen 90 s ago.
  await claimAndStart(w.job, DAVE, 'ev-b');
  await episode(w.job, DAVE, 'ev-b', 'reach-v3', 0, { success: true, totalReward: 9 });
  await episode(w.job, DAVE, 'ev-b', 'reach-v3', 1, { success: false, totalReward: 1 });
  const running = await episode(w.job, DAVE, 'ev-b', 'push-v3', 0);
  const dave = evaluationIdFor(w.job, DAVE);
  const beatAt = new Date(Date.now() - 90_000).toISOString();
  const kv = await new Kvm(nats.js).create(t.activityBucket);
  await kv.put(
    episodeHeartbeatKey(dave, 2),
    JSON.stringify({
      evaluationId: dave,
      episodeId: running,
      slot: 2,
      evaluator: 'ev-b',
      attempt: 1,
      step: 40,
      maxSteps: 100,
      startedAt: beatAt,
      heartbeatAt: beatAt,
    }),
  );

  // Job "second": past its deadline for CHARLIE (never claimed), then cancelled while EVE had claimed it.
  const eve2 = { evaluationId: evaluationIdFor(w.job2, EVE), jobId: w.job2, validator: EVE };
  await append('evaluation', eve2.evaluationId, newEvent('EvaluationClaimed', { ...eve2, plannedEpisodes: 4 }));
  await handleCommand(store, jobDecider, w.job2, { type: 'TimeOutJob', validator: CHARLIE, evaluationStatus: 'QUEUED', now: new Date().toISOString() });
  await handleCommand(store, jobDecider, w.job2, { type: 'CancelJob', reason: 'not needed', by: 'admin' });

  // The cancellation is the last event: once the API shows it, the projector has applied everything before it.
  await eventually(
    'the projected cancellation over the API',
    async () => {
      const statuses = await api(`/jobs/${w.job2}/status`).catch(() => undefined);
      return statuses?.items?.some((s: { validator: string; status: string }) => s.validator === EVE && s.status === 'CANCELLED');
    },
    45_000,
  );
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(
    children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((done) => child.once('exit', done)) : Promise.resolve())),
  );
  await nats?.jsm.streams.delete(`KV_${t.activityBucket}`).catch(() => undefined);
  if (nats) {
    await deleteTopology(nats.jsm, t);
    await nats.close();
  }
  if (namespace) await dropSchemas(databaseUrl, namespace);
  if (objectsDir) await rm(objectsDir, { recursive: true, force: true });
});

describe('kinitro miner status with evaluations', () => {
  it('shows per validator a completed result with its 95% interval and per-task lines, a failure with the end of stderr, and progress', async () => {
    const { code, out, err } = await run();
    expect({ code, err }).toEqual({ code: 0, err: '' });
    // 3 of 4: 75.0%, Wilson 95% 30.1%–95.4%; reach 2/2: 34.2%–100.0%; push 1/2: 9.5%–90.5% (z = 1.96, by hand).
    // Mean rewards: (10 + 12 + 8 + 2) / 4 = 8, reach (10 + 12) / 2 = 11, push (8 + 2) / 2 = 5.
    expect(out).toContain(
      [
        `    validator ${EVE}: COMPLETED 4/4 episodes on ev-a`,
        `      success 75.0% (95% CI 30.1%–95.4%) over 4 episodes, mean reward 8.00`,
        `      reach-v3: 2/2 success 100.0% (95% CI 34.2%–100.0%), mean reward 11.00`,
        `      push-v3: 1/2 success 50.0% (95% CI 9.5%–90.5%), mean reward 5.00`,
      ].join('\n'),
    );
    // The last 5 of the 7 stderr lines, indentation kept.
    expect(out).toContain(
      [
        `  job control ${w.job}`,
        `    validator ${FERDIE}: FAILED 0/4 episodes, 1 failed on ev-z`,
        `      CRASH, miner fault: agent_crashed (episode reach-v3/0 crashed)`,
        `      agent stderr (last 5 lines):`,
        `          File "agent.py", line 9, in act`,
        `            return policy(obs)`,
        `          File "policy.py", line 3, in policy`,
        `            return 1 / 0`,
        `        ZeroDivisionError: division by zero`,
        `    validator ${DAVE}: RUNNING 2/4 episodes on ev-b`,
      ].join('\n'),
    );
    expect(out).not.toContain('Traceback');
    expect(out).not.toContain('loading policy.pt');
    // Seen 90 s before the API answered; give the run up to a minute more on a busy machine.
    expect(out).toMatch(new RegExp(`^ {6}running push-v3 #0 on ev-b \\(attempt 1\\), step 40/100, heartbeat (9\\d|1[0-4]\\d)s ago$`, 'm'));
  });

  it('shows a timeout and a cancellation with their reasons', async () => {
    const { out } = await run();
    const { deadline } = await api(`/jobs/${w.job2}`);
    // 2026-03-01T12:00:00Z plus the benchmark's 600 s.
    expect(deadline).toBe('2026-03-01T12:10:00.000Z');
    expect(out).toContain(
      [
        `  job second ${w.job2} (cancelled: not needed)`,
        `    validator ${CHARLIE}: TIMEOUT`,
        `      deadline_exceeded (no terminal result by ${deadline})`,
        `    validator ${EVE}: CANCELLED 0/4 episodes`,
        `      not needed`,
      ].join('\n'),
    );
  });

  it('puts the same data in --json: each validator’s status, counts, failure and result', async () => {
    const { code, out } = await run('--json');
    expect(code).toBe(0);
    const shown = JSON.parse(out);
    const jobs = Object.fromEntries(shown.submissions[0].jobs.map((j: { benchmarkName: string }) => [j.benchmarkName, j]));
    const byValidator = Object.fromEntries(jobs.control.evaluations.map((e: { validator: string }) => [e.validator, e]));
    expect(byValidator[EVE]).toMatchObject({
      status: 'COMPLETED',
      plannedEpisodes: 4,
      episodesDone: 4,
      result: { episodes: 4, successRate: 0.75, meanReward: 8, successInterval: { low: expect.closeTo(0.3006, 4), high: expect.closeTo(0.9544, 4) } },
    });
    expect(byValidator[EVE].result.tasks.map((task: { task: string; successRate: number }) => [task.task, task.successRate])).toEqual([
      ['reach-v3', 1],
      ['push-v3', 0.5],
    ]);
    expect(byValidator[FERDIE]).toMatchObject({
      status: 'FAILED',
      verdict: 'CRASH',
      fault: 'miner',
      reason: 'agent_crashed',
      stderrTail: STDERR,
      result: null,
    });
    expect(byValidator[DAVE]).toMatchObject({ status: 'RUNNING', episodesDone: 2, running: [{ task: 'push-v3', heartbeat: { step: 40, maxSteps: 100 } }] });
    expect(jobs.second).toMatchObject({ cancelled: true, cancelReason: 'not needed' });
  });
});
