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

// Several episodes in flight against one Python agent in bwrap give exactly the episodes run one after another:
// the same actions and rewards step for step, for an agent whose actions depend on its per-episode state.
const TASK = 'reach-v3';
const PLAN: PlannedEpisode[] = [1000, 1001, 1002, 1003].map((seed, episodeIndex) => ({ task: TASK, seed, episodeIndex }));

let sandbox: BwrapSandbox;
let agentDir: string;
let manifest: AgentManifest;
/** The episodes one at a time: what every concurrent run must reproduce. */
let sequential: Awaited<ReturnType<typeof evaluate>>;

beforeAll(async () => {
  sandbox = await BwrapSandbox.create({ bwrapPath: '/usr/bin/bwrap', uid: 65534, gid: 65534, defaultLimits: { ...DEFAULT_LIMITS, wallSeconds: 120 } });
  agentDir = await mkdtemp(join(tmpdir(), 'kinitro-concurrent-'));
  await cp(fileURLToPath(new URL('./fixtures/noisy-reach', import.meta.url)), agentDir, { recursive: true });
  await chmod(agentDir, 0o755);
  const parsed = parseAgentManifest(await readFile(join(agentDir, 'kinitro.json'), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  manifest = parsed.manifest;
  sequential = await evaluate('NoisyReach', 1);
}, 60_000);
afterAll(async () => {
  await rm(agentDir, { recursive: true, force: true });
});

/** Each episode's actions and rewards, and the order episodes took their steps in. */
const evaluate = async (agentClass: string, maxConcurrentEpisodes: number) => {
  const steps: { action: number[]; reward: number }[][] = PLAN.map(() => []);
  const order: number[] = [];
  const entrypoint = { ...manifest.entrypoint, args: ['-m', 'kinitro_agent.serve', '--agent', `agent:${agentClass}`] };
  const result: EvaluationResult = await runEvaluation({
    config: { sandbox, agentDir, manifest: { ...manifest, entrypoint }, layout: runtimeLayoutOf(process.cwd()), maxConcurrentEpisodes },
    benchmark: 'MT1',
    plan: PLAN,
    maxSteps: 120,
    makeEnv: makeMetaWorldEnv,
    onTransition: (episode, { action, reward }) => {
      steps[episode.episodeIndex]!.push({ action, reward });
      order.push(episode.episodeIndex);
    },
  });
  return { result, steps, interleaved: order.some((index, i) => i > 0 && index < order[i - 1]!) };
};

describe('runEvaluation with concurrent episodes', () => {
  it('gives each episode exactly the trajectory it has when the episodes run one at a time', async () => {
    const concurrent = await evaluate('NoisyReach', 3);
    expect([sequential.interleaved, concurrent.interleaved]).toEqual([false, true]);
    expect(sequential.result.episodes.map((e) => e.verdict)).toEqual([undefined, undefined, undefined, undefined]);
    // The noise is per episode: different seeds, different first actions.
    expect(new Set(sequential.steps.map((s) => s[0]!.action[0])).size).toBe(4);
    expect(concurrent.result).toEqual(sequential.result);
    expect(concurrent.steps).toEqual(sequential.steps);
  }, 30_000);

  it('charges a crash to the episode it happened in and runs the episodes beside it again in a fresh sandbox', async () => {
    const { result } = await evaluate('CrashesOnSeed1002', 3);
    expect(result.episodes.map((e) => e.verdict?.kind)).toEqual([undefined, undefined, 'CRASH', undefined]);
    expect(result.episodes[2]!.verdict).toMatchObject({ fault: 'agent' });
    expect(result.episodes.map((e) => e.outcome)).toEqual(sequential.result.episodes.map((e, i) => (i === 2 ? undefined : e.outcome)));
  }, 30_000);
});
