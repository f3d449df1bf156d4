import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentManifest } from '#domain';
import { EXPERTS, makeMetaWorldEnv, runEpisode, type Env } from '#sim';
import { BwrapSandbox } from '../sandbox/bwrap-sandbox.js';
import { DEFAULT_LIMITS } from '../sandbox/limits.js';
import type { ProcessOutcome } from '../sandbox/types.js';
import { taskSpacesOf } from '../tensor/spec.js';
import { runtimeLayoutOf } from './agent-runtime.js';
import { AgentSession, type AgentSessionConfig, type SessionDeadlinesMs } from './agent-session.js';
import type { Verdict } from './verdict.js';

// Real bubblewrap, real /usr/bin/python3 agents through the SDK: every hostile agent ends as a verdict of its own
// fault while this process stays healthy, and a fresh session with a good agent runs the next episode (afterEach).
const MiB = 1024 * 1024;
const TASK = 'reach-v3';
const SEED = 1000;
const FIXTURE = fileURLToPath(new URL('./fixtures/hostile', import.meta.url));

let env: Env;
let sandbox: BwrapSandbox;
let agentDir: string;
let base: Omit<AgentSessionConfig, 'manifest'>;
let expertTotalReward: number;

const manifestFor = (agentClass: string, extraArgs: string[] = []): AgentManifest => ({
  name: 'hostile',
  version: '0.0.1',
  protocol: 'grpc',
  agentApiVersion: 'v1',
  runtime: 'python3',
  entrypoint: { command: 'python3', args: ['-m', 'kinitro_agent.serve', '--agent', `agents:${agentClass}`, ...extraArgs] },
});

beforeAll(async () => {
  env = await makeMetaWorldEnv(TASK);
  expertTotalReward = runEpisode(env, EXPERTS[TASK]!, SEED).totalReward;
  sandbox = await BwrapSandbox.create({
    bwrapPath: '/usr/bin/bwrap',
    uid: 65534,
    gid: 65534,
    defaultLimits: { ...DEFAULT_LIMITS, wallSeconds: 60, cpuSeconds: 30, memoryBytes: 256 * MiB, processes: 64, outputBytes: 16 * MiB, tailBytes: 8192 },
  });
  // A copy the unprivileged agent (uid 65534) can read, with the reach expert beside the hostile agents.
  agentDir = await mkdtemp(join(tmpdir(), 'kinitro-hostile-'));
  await cp(FIXTURE, agentDir, { recursive: true });
  await cp(resolve('sdk/python/examples/reach_expert'), join(agentDir, 'reach_expert'), { recursive: true });
  await cp(fileURLToPath(new URL('../sandbox/fixtures/hostile.py', import.meta.url)), join(agentDir, 'hostile.py'));
  await chmod(agentDir, 0o755);
  base = {
    sandbox,
    agentDir,
    layout: runtimeLayoutOf(process.cwd()),
    deadlinesMs: { connect: 20_000, ping: 5_000, reset: 1_000, act: 1_000, shutdown: 3_000, episode: 30_000 },
  };
}, 60_000);
afterAll(async () => {
  env?.close();
  if (agentDir) await rm(agentDir, { recursive: true, force: true });
});

/** One session of `agentClass`: open, one episode, close; the verdict of the first failure, if any. */
const runOne = async (
  agentClass: string,
  extraArgs: string[] = [],
  deadlinesMs: Partial<SessionDeadlinesMs> = {},
): Promise<{ verdict?: Verdict; outcome?: ProcessOutcome }> => {
  const config = { ...base, manifest: manifestFor(agentClass, extraArgs), deadlinesMs: { ...base.deadlinesMs, ...deadlinesMs } };
  const opened = await AgentSession.open(config, [taskSpacesOf(TASK, env)]);
  if (!opened.ok) return { verdict: opened.verdict };
  const episode = await opened.value.episode(env, { task: TASK, seed: SEED });
  if (!episode.ok) return { verdict: episode.verdict };
  const closed = await opened.value.close();
  return { outcome: closed.outcome, ...(closed.verdict && { verdict: closed.verdict }) };
};
/** What the agent reported on stdout (hostile.py's one JSON line). */
const factsOf = (outcome: ProcessOutcome | undefined) => JSON.parse(outcome?.output.stdoutTail.trim().split('\n')[0] || 'null');

afterEach(async () => {
  // The next episode: a fresh session with the good agent gives the in-process expert's result.
  const opened = await AgentSession.open({ ...base, manifest: manifestFor('Expert') }, [taskSpacesOf(TASK, env)]);
  if (!opened.ok) throw new Error(`the good agent failed to start: ${opened.verdict.reason}`);
  const episode = await opened.value.episode(env, { task: TASK, seed: SEED });
  expect(episode).toMatchObject({ ok: true, value: { success: true, totalReward: expertTotalReward } });
  expect((await opened.value.close()).outcome).toMatchObject({ kind: 'exited', exitCode: 0 });
}, 60_000);

describe('hostile agents in the bwrap sandbox end as verdicts of their own fault', () => {
  it('hangs in Act: TIMEOUT act', async () => {
    const { verdict } = await runOne('HangsInAct');
    expect(verdict).toMatchObject({ kind: 'TIMEOUT', deadline: 'act', fault: 'agent', retryable: false });
    expect(verdict!.measurements!.wallSeconds).toBeGreaterThan(1);
  }, 60_000);

  it('is too slow for the episode (each Act in time): TIMEOUT episode; for the evaluation: TIMEOUT evaluation', async () => {
    const manifest = manifestFor('Zeros');
    const slow = await AgentSession.open({ ...base, manifest, deadlinesMs: { ...base.deadlinesMs, episode: 300 } }, [taskSpacesOf(TASK, env)]);
    if (!slow.ok) throw new Error(slow.verdict.reason);
    expect(await slow.value.episode(env, { task: TASK, seed: SEED })).toMatchObject({
      ok: false,
      verdict: { kind: 'TIMEOUT', deadline: 'episode', fault: 'agent' },
    });
    const evaluationDeadlineAt = Date.now() + 5_000 + 300;
    const late = await AgentSession.open({ ...base, manifest, evaluationDeadlineAt }, [taskSpacesOf(TASK, env)]);
    if (!late.ok) throw new Error(late.verdict.reason);
    // The episode starts 30 ms before the deadline, whatever the sandbox's start took: too little for a whole episode.
    await new Promise((done) => setTimeout(done, evaluationDeadlineAt - 30 - Date.now()));
    expect(await late.value.episode(env, { task: TASK, seed: SEED })).toMatchObject({ ok: false, verdict: { kind: 'TIMEOUT', deadline: 'evaluation' } });
  }, 60_000);

  it('sleeps past the Reset deadline: TIMEOUT reset', async () => {
    expect((await runOne('SleepsInReset')).verdict).toMatchObject({ kind: 'TIMEOUT', deadline: 'reset', fault: 'agent' });
  }, 60_000);

  it('exits mid-episode: CRASH with its exit code', async () => {
    expect((await runOne('CrashesMidEpisode')).verdict).toMatchObject({ kind: 'CRASH', exitCode: 3, fault: 'agent' });
  }, 60_000);

  it('kills itself with SIGSEGV mid-episode: CRASH with the signal', async () => {
    expect((await runOne('SegfaultsMidEpisode')).verdict).toMatchObject({ kind: 'CRASH', signal: 'SIGSEGV', fault: 'agent' });
  }, 60_000);

  it('floods stdout with 100 MB: OUTPUT_LIMIT, a bounded tail, and our RSS stays bounded', async () => {
    const rssBefore = process.memoryUsage().rss;
    const { verdict } = await runOne('FloodsStdout');
    expect(verdict).toMatchObject({ kind: 'OUTPUT_LIMIT', limitBytes: 16 * MiB, fault: 'agent' });
    expect(verdict!.stderrTail.length).toBeLessThanOrEqual(4096);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * MiB);
  }, 60_000);

  it('reaches for NATS, Postgres and DNS: every attempt fails inside, the episode still runs', async () => {
    const { verdict, outcome } = await runOne('ReachesForTheNetwork');
    expect(verdict).toBeUndefined();
    const facts = factsOf(outcome);
    expect(facts.nats).toMatch(/^ConnectionRefusedError/);
    expect(facts.postgres).toMatch(/^ConnectionRefusedError/);
    expect(facts.dns).toMatch(/^gaierror/);
  }, 60_000);

  it('forks 1,000 processes: contained by the process limit, the episode still runs', async () => {
    const { verdict, outcome } = await runOne('ForkBomb');
    expect(verdict).toBeUndefined();
    const facts = factsOf(outcome);
    expect(facts.forked).toBeLessThan(64);
    expect(facts.error).toMatch(/Resource temporarily unavailable/);
    expect(facts.forked).toBeGreaterThan(0);
  }, 60_000);

  it('allocates without bound: OUT_OF_MEMORY', async () => {
    // The Act deadline is not what this asserts: a starved CI machine can take over a second to fill 256 MiB.
    const { verdict } = await runOne('Hoards', [], { act: 15_000 });
    expect(verdict).toMatchObject({ kind: 'OUT_OF_MEMORY', fault: 'agent', limitBytes: 256 * MiB });
  }, 60_000);

  it('writes outside its directory: refused everywhere but its /tmp', async () => {
    const { verdict, outcome } = await runOne('WritesOutside');
    expect(verdict).toBeUndefined();
    const facts = factsOf(outcome);
    for (const where of ['agent', 'etc', 'work', 'root']) expect(facts[where]).toMatch(/Read-only file system|No such file/);
    expect(facts.tmp).toBe('ok');
    expect(existsSync(join(agentDir, 'pwned')) || existsSync('/etc/pwned') || existsSync('/work/pwned')).toBe(false);
  }, 60_000);

  it.each([
    ['WrongShape', 'shape'],
    ['NanAction', 'NaN'],
    ['WrongDtype', 'must be float32, got int32'],
  ])(
    'returns a malformed action (%s): INVALID_ACTION naming the %s',
    async (agentClass, named) => {
      const { verdict } = await runOne(agentClass);
      expect(verdict).toMatchObject({ kind: 'INVALID_ACTION', fault: 'agent' });
      expect(verdict!.reason).toMatch(new RegExp(named, 'i'));
    },
    60_000,
  );

  it('answers with a 64 MB message: PROTOCOL, message too large', async () => {
    // Building and sending 64 MB takes the agent a while on a busy machine: the Act deadline is not what is tested.
    const { verdict } = await runOne('HugeAnswer', ['--max-message-bytes', String(128 * MiB)], { act: 20_000 });
    expect(verdict).toMatchObject({ kind: 'PROTOCOL', fault: 'agent', limitBytes: 4 * MiB });
    expect(verdict!.reason).toMatch(/larger than the 4194304-byte bound/);
  }, 60_000);
});

it('the fixture manifest is the good agent (so the directory is a complete agent)', async () => {
  expect(JSON.parse(await readFile(join(FIXTURE, 'kinitro.json'), 'utf8')).entrypoint.args).toContain('agents:Expert');
});
