import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAgentManifest, type AgentManifest } from '#domain';
import { makeMetaWorldEnv } from '#sim';
import { BwrapSandbox } from '../sandbox/bwrap-sandbox.js';
import { DEFAULT_LIMITS } from '../sandbox/limits.js';
import { runtimeLayoutOf } from './agent-runtime.js';
import { runEvaluation, type EvaluationResult, type PlannedEpisode } from './evaluation.js';

// Several episodes in flight against one agent in bwrap, their steps in batches (protocol 1.3) or on a stream each
// (1.2), give exactly the episodes run one after another: the same actions and rewards step for step, for an agent
// whose actions depend on its per-episode state, with either SDK. A failure in one episode is that episode's alone.
const TASK = 'reach-v3';
const PLAN: PlannedEpisode[] = [1000, 1001, 1002, 1003].map((seed, episodeIndex) => ({ task: TASK, seed, episodeIndex }));

/** An agent directory the unprivileged agent can read, and its manifest. */
interface Fixture {
  dir: string;
  manifest: AgentManifest;
}

let sandbox: BwrapSandbox;
let python: Fixture;
let typescript: Fixture;
/** The episodes one at a time: what every concurrent run must reproduce. */
let sequential: Awaited<ReturnType<typeof evaluate>>;

const fixture = async (name: string): Promise<Fixture> => {
  const dir = await mkdtemp(join(tmpdir(), 'kinitro-concurrent-'));
  await cp(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), dir, { recursive: true });
  await chmod(dir, 0o755);
  const parsed = parseAgentManifest(await readFile(join(dir, 'kinitro.json'), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return { dir, manifest: parsed.manifest };
};

beforeAll(async () => {
  sandbox = await BwrapSandbox.create({ bwrapPath: '/usr/bin/bwrap', uid: 65534, gid: 65534, defaultLimits: { ...DEFAULT_LIMITS, wallSeconds: 120 } });
  python = await fixture('noisy-reach');
  typescript = await fixture('ts-noisy-reach');
  sequential = await evaluate('NoisyReach', 1);
}, 60_000);
afterAll(async () => {
  for (const agent of [python, typescript]) await rm(agent.dir, { recursive: true, force: true });
});

/**
 * Each episode's actions and rewards, and the order episodes took their steps in, of the Python agent class
 * (noisy-reach) or the TypeScript agent (ts-noisy-reach, when `agentClass` is undefined).
 */
const evaluate = async (agentClass: string | undefined, maxConcurrentEpisodes: number, options: { actBatch?: boolean } = {}) => {
  const steps: { action: number[]; reward: number }[][] = PLAN.map(() => []);
  const order: number[] = [];
  const { dir: agentDir, manifest } = agentClass === undefined ? typescript : python;
  const entrypoint =
    agentClass === undefined ? manifest.entrypoint : { ...manifest.entrypoint, args: ['-m', 'kinitro_agent.serve', '--agent', `agent:${agentClass}`] };
  const result: EvaluationResult = await runEvaluation({
    config: { sandbox, agentDir, manifest: { ...manifest, entrypoint }, layout: runtimeLayoutOf(process.cwd()), maxConcurrentEpisodes, ...options },
    benchmark: 'MT1',
    plan: PLAN,
    maxSteps: 120,
    makeEnv: makeMetaWorldEnv,
    // By step number: an episode run again alone (a suspect after a failure beside it, e.g. a deadline missed on a
    // loaded machine) replaces what its first attempt recorded.
    onTransition: (episode, { step, action, reward }) => {
      steps[episode.episodeIndex]![step - 1] = { action, reward };
      order.push(episode.episodeIndex);
    },
  });
  return { result, steps, interleaved: order.some((index, i) => i > 0 && index < order[i - 1]!) };
};

describe('runEvaluation with concurrent episodes', () => {
  it.each([
    ['in batches (1.3)', true],
    ['on a stream each (1.2)', false],
  ])(
    'gives each episode, its steps %s, exactly the trajectory it has when the episodes run one at a time',
    async (_transport, actBatch) => {
      const concurrent = await evaluate('NoisyReach', 3, { actBatch });
      expect([sequential.interleaved, concurrent.interleaved]).toEqual([false, true]);
      expect(sequential.result.episodes.map((e) => e.verdict)).toEqual([undefined, undefined, undefined, undefined]);
      // The noise is per episode: different seeds, different first actions.
      expect(new Set(sequential.steps.map((s) => s[0]!.action[0])).size).toBe(4);
      expect(concurrent.result).toEqual(sequential.result);
      expect(concurrent.steps).toEqual(sequential.steps);
    },
    60_000,
  );

  it('gives the same with the TypeScript SDK, its steps in batches', async () => {
    const alone = await evaluate(undefined, 1);
    const concurrent = await evaluate(undefined, 3);
    expect([alone.interleaved, concurrent.interleaved]).toEqual([false, true]);
    expect(alone.result.episodes.map((e) => e.verdict)).toEqual([undefined, undefined, undefined, undefined]);
    expect(new Set(alone.steps.map((s) => s[0]!.action[0])).size).toBe(4);
    expect(concurrent.result).toEqual(alone.result);
    expect(concurrent.steps).toEqual(alone.steps);
  }, 60_000);

  it('charges a crash to the episode it happened in and runs the episodes beside it again in a fresh sandbox', async () => {
    const { result } = await evaluate('CrashesOnSeed1002', 3);
    expect(result.episodes.map((e) => e.verdict?.kind)).toEqual([undefined, undefined, 'CRASH', undefined]);
    expect(result.episodes[2]!.verdict).toMatchObject({ fault: 'agent' });
    expect(result.episodes.map((e) => e.outcome)).toEqual(sequential.result.episodes.map((e, i) => (i === 2 ? undefined : e.outcome)));
  }, 30_000);

  it.each([
    [
      'an invalid action',
      'NanOnSeed1002',
      { kind: 'INVALID_ACTION', reason: 'agent act returned an invalid tensor: action: element 1 is NaN: NaN and ±Inf are not allowed' },
    ],
    ['a step never answered', 'HangsOnSeed1002', { kind: 'TIMEOUT', deadline: 'act', reason: 'agent act missed its deadline of 1000 ms' }],
  ])(
    'charges %s in a batch to its episode alone; the episodes beside it finish',
    async (_case, agentClass, verdict) => {
      const { result } = await evaluate(agentClass, 3);
      expect(result.episodes.map((e) => e.verdict?.kind)).toEqual([undefined, undefined, verdict.kind, undefined]);
      expect(result.episodes[2]!.verdict).toMatchObject({ fault: 'agent', ...verdict });
      expect(result.episodes.map((e) => e.outcome)).toEqual(sequential.result.episodes.map((e, i) => (i === 2 ? undefined : e.outcome)));
    },
    30_000,
  );
});
