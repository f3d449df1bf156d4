import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentManifest } from '#domain';
import { makeMetaWorldEnv, type Env } from '#sim';
import { BwrapSandbox } from '../sandbox/bwrap-sandbox.js';
import { DEFAULT_LIMITS } from '../sandbox/limits.js';
import { taskSpacesOf } from '../tensor/spec.js';
import { runtimeLayoutOf } from './agent-runtime.js';
import { AgentSession } from './agent-session.js';

// The manifest's `resources` reach the real bwrap sandbox: an agent that asked for 128 MiB is stopped at 128 MiB,
// below the evaluator's 256 MiB (and a quarter core of the 60 s: 15 CPU seconds); one that asked for more than the evaluator allows gets the evaluator's maximum.
const MiB = 1024 * 1024;
const TASK = 'reach-v3';
const FIXTURE = fileURLToPath(new URL('./fixtures/hostile', import.meta.url));

let env: Env;
let sandbox: BwrapSandbox;
let agentDir: string;

beforeAll(async () => {
  env = await makeMetaWorldEnv(TASK);
  sandbox = await BwrapSandbox.create({
    bwrapPath: '/usr/bin/bwrap',
    uid: 65534,
    gid: 65534,
    defaultLimits: { ...DEFAULT_LIMITS, wallSeconds: 60, cpuSeconds: 30, memoryBytes: 256 * MiB, processes: 64 },
  });
  agentDir = await mkdtemp(join(tmpdir(), 'kinitro-resources-'));
  await cp(FIXTURE, agentDir, { recursive: true });
  await cp(resolve('sdk/python/examples/reach_expert'), join(agentDir, 'reach_expert'), { recursive: true });
  await cp(fileURLToPath(new URL('../sandbox/fixtures/hostile.py', import.meta.url)), join(agentDir, 'hostile.py'));
  await chmod(agentDir, 0o755);
}, 60_000);
afterAll(async () => {
  env?.close();
  if (agentDir) await rm(agentDir, { recursive: true, force: true });
});

const hoarder = (resources: AgentManifest['resources']): AgentManifest => ({
  name: 'hoarder',
  version: '0.0.1',
  protocol: 'grpc',
  agentApiVersion: 'v1',
  runtime: 'python3',
  entrypoint: { command: 'python3', args: ['-m', 'kinitro_agent.serve', '--agent', 'agents:Hoards'] },
  resources,
});

const verdictOfHoarding = async (manifest: AgentManifest) => {
  const config = { sandbox, agentDir, manifest, layout: runtimeLayoutOf(process.cwd()), deadlinesMs: { act: 5_000, episode: 30_000 } };
  const opened = await AgentSession.open(config, [taskSpacesOf(TASK, env)]);
  if (!opened.ok) throw new Error(opened.verdict.reason);
  const episode = await opened.value.episode(env, { task: TASK, seed: 1000 });
  return { resources: opened.value.resources, verdict: episode.ok ? undefined : episode.verdict };
};

it("an agent that asked for 128 MiB is out of memory at 128 MiB, under the evaluator's 256 MiB", async () => {
  const { resources, verdict } = await verdictOfHoarding(hoarder({ memoryMiB: 128, cpus: 0.25 }));
  expect(resources.limits).toMatchObject({ memoryBytes: 128 * MiB, cpuSeconds: 15 });
  expect(verdict).toMatchObject({ kind: 'OUT_OF_MEMORY', fault: 'agent', limitBytes: 128 * MiB });
}, 60_000);

it("an agent that asked for more than the evaluator allows runs under the evaluator's maximum, and is told", async () => {
  const { resources, verdict } = await verdictOfHoarding(hoarder({ memoryMiB: 4096 }));
  expect(resources.notes).toEqual(["resources.memoryMiB: 4096 MiB requested, 256 MiB is this evaluator's maximum"]);
  expect(verdict).toMatchObject({ kind: 'OUT_OF_MEMORY', limitBytes: 256 * MiB });
}, 60_000);
