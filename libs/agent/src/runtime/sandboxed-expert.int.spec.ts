import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAgentManifest } from '#domain';
import { EXPERTS, makeMetaWorldEnv, runEpisode, type Env, type EpisodeOutcome } from '#sim';
import { BwrapSandbox } from '../sandbox/bwrap-sandbox.js';
import { DEFAULT_LIMITS } from '../sandbox/limits.js';
import { taskSpacesOf } from '../tensor/spec.js';
import { runtimeLayoutOf } from './agent-runtime.js';
import { AgentSession } from './agent-session.js';

// The well-behaved agent inside bwrap: the reach-v3 expert served by the Python SDK (runtime python3) and by the
// TypeScript SDK (runtime node) gives exactly libs/sim's in-process expert outcomes on the same seeds.
const TASK = 'reach-v3';
const SEEDS = [1000, 1001, 1002];
const SDK = resolve('dist/libs/agent/src/sdk/index.js');

let env: Env;
let sandbox: BwrapSandbox;
let expected: EpisodeOutcome[];
const dirs: string[] = [];

beforeAll(async () => {
  if (!existsSync(SDK)) throw new Error(`${SDK} is missing: run npm run build first`);
  env = await makeMetaWorldEnv(TASK);
  expected = SEEDS.map((seed) => runEpisode(env, EXPERTS[TASK]!, seed));
  sandbox = await BwrapSandbox.create({ bwrapPath: '/usr/bin/bwrap', uid: 65534, gid: 65534, defaultLimits: { ...DEFAULT_LIMITS, wallSeconds: 120 } });
}, 60_000);
afterAll(async () => {
  env?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A copy uid 65534 can read. */
const readable = async (source: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'kinitro-expert-'));
  dirs.push(dir);
  await cp(source, dir, { recursive: true });
  await chmod(dir, 0o755);
  return dir;
};

describe.each([
  ['Python SDK (runtime python3)', resolve('sdk/python/examples/reach_expert')],
  ['TypeScript SDK (runtime node)', fileURLToPath(new URL('./fixtures/ts-reach-expert', import.meta.url))],
])('the reach-v3 expert served by the %s in bwrap', (_sdk, source) => {
  it('succeeds on the same seeds as in process, step for step and reward for reward', async () => {
    expect(expected.filter((o) => o.success).length).toBeGreaterThanOrEqual(2);
    const agentDir = await readable(source);
    const parsed = parseAgentManifest(await readFile(join(agentDir, 'kinitro.json'), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const opened = await AgentSession.open({ sandbox, agentDir, manifest: parsed.manifest, layout: runtimeLayoutOf(process.cwd()) }, [taskSpacesOf(TASK, env)]);
    if (!opened.ok) throw new Error(`did not start: ${opened.verdict.reason}\n${opened.verdict.stderrTail}`);
    const outcomes: EpisodeOutcome[] = [];
    for (const [episodeIndex, seed] of SEEDS.entries()) {
      const episode = await opened.value.episode(env, { task: TASK, seed, benchmark: 'MT1', episodeIndex });
      if (!episode.ok) throw new Error(`episode failed: ${episode.verdict.reason}\n${episode.verdict.stderrTail}`);
      outcomes.push(episode.value);
    }
    expect(outcomes).toEqual(expected);
    const closed = await opened.value.close();
    expect(closed).toEqual({ outcome: expect.objectContaining({ kind: 'exited', exitCode: 0 }) });
  }, 60_000);
});
