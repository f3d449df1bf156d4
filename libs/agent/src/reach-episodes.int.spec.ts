import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXPERTS, makeMetaWorldEnv, runEpisode, type Env, type EpisodeOutcome } from '#sim';
import type { AgentClient } from './client/client.js';
import { runAgentEpisode } from './episode.js';
import { taskSpacesOf } from './tensor/spec.js';
import { AgentProcess, TS_REACH_AGENT } from './testing/agent-process.js';

const TASK = 'reach-v3';
const SEEDS = [1000, 1001, 1002];

let env: Env;
let expected: EpisodeOutcome[];

beforeAll(async () => {
  env = await makeMetaWorldEnv(TASK);
  // The independent expectation: libs/sim's expert, in process, on the same seeds.
  expected = SEEDS.map((seed) => runEpisode(env, EXPERTS[TASK]!, seed));
}, 60_000);

afterAll(() => env?.close());

const runThrough = async (agent: AgentProcess, actStream: boolean): Promise<{ outcomes: EpisodeOutcome[]; client: AgentClient }> => {
  const client = await agent.connect({ actStream });
  await client.ping([taskSpacesOf(TASK, env)]);
  expect(client.actTransport).toBe(actStream ? 'stream' : 'unary');
  const outcomes: EpisodeOutcome[] = [];
  for (const [episodeIndex, seed] of SEEDS.entries()) outcomes.push(await runAgentEpisode(env, client, { task: TASK, seed, benchmark: 'MT1', episodeIndex }));
  return { outcomes, client };
};

describe.each([
  ['Python SDK', () => AgentProcess.python('agent:ReachExpert', resolve('sdk/python/examples/reach_expert'))],
  ['TypeScript SDK', () => AgentProcess.start(process.execPath, [TS_REACH_AGENT])],
])('reach-v3 expert served by the %s over gRPC', (_sdk, start) => {
  let agent: AgentProcess;
  beforeAll(() => {
    if (!existsSync(TS_REACH_AGENT)) throw new Error(`${TS_REACH_AGENT} is missing: run npm run build first`);
    agent = start();
  });
  afterAll(() => agent?.stop());

  it('succeeds on the same seeds as the in-process expert, step for step, over unary Act and over ActStream', async () => {
    expect(expected.filter((o) => o.success).length).toBeGreaterThanOrEqual(2);
    // Same actions (float64 arithmetic, then float32) give the same physics: identical outcomes, not just similar.
    const unary = await runThrough(agent, false);
    expect(unary.outcomes).toEqual(expected);
    unary.client.dispose();
    const streamed = await runThrough(agent, true);
    expect(streamed.outcomes).toEqual(expected);
    await streamed.client.shutdown();
    expect(await agent.exited).toEqual([0, null]);
  }, 60_000);
});
