import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXPERTS, makeMetaWorldEnv, runEpisode } from '#sim';
import { runMain } from '../testdata/run-main.js';

// `kinitro miner local-eval` as a real process, on real agents in the real bwrap sandbox.
let dir: string;

const kinitro = (argv: string[]) =>
  runMain(argv, { PATH: process.env['PATH'] ?? '', ...(process.env['METAWORLD_ASSETS'] && { METAWORLD_ASSETS: process.env['METAWORLD_ASSETS'] }) });

/** A copy of an agent directory uid 65534 can read. */
const agentCopy = async (source: string, name: string): Promise<string> => {
  const copy = join(dir, name);
  await cp(source, copy, { recursive: true });
  await chmod(copy, 0o755);
  return copy;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinitro-local-eval-'));
  await chmod(dir, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('kinitro miner local-eval', () => {
  it('runs the reach-v3 expert: 2/2 with its Wilson interval, the in-process mean reward, frames as PNG files, exit 0', async () => {
    const env = await makeMetaWorldEnv('reach-v3');
    const rewards = [1000, 1001].map((seed) => runEpisode(env, EXPERTS['reach-v3']!, seed).totalReward);
    env.close();
    const frames = join(dir, 'frames');
    const agent = await agentCopy(resolve('sdk/python/examples/reach_expert'), 'expert');
    const run = await kinitro([
      'miner',
      'local-eval',
      '--dir',
      agent,
      '--benchmark',
      'MT1',
      '--tasks',
      'reach-v3',
      '--episodes',
      '2',
      '--frames',
      frames,
      '--frame-every',
      '250',
    ]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('agent reach-expert-py 1.0.0 (runtime python3), MT1 reach-v3, 2 episodes per task, bwrap sandbox');
    // 2 of 2: Wilson 95% [0.3424, 1] (computed with python from the formula).
    expect(run.out).toContain(`reach-v3: success 2/2 = 100.0% (95% Wilson 34.2%–100.0%), mean reward ${((rewards[0]! + rewards[1]!) / 2).toFixed(2)}`);
    expect(run.out).toContain('verdicts: none');
    expect(run.out).toContain(`frames: 4 PNG files in ${frames}`);
    expect(run.err).toMatch(/episodes \[#+\] 2\/2/);
    const files = (await readdir(frames)).sort();
    expect(files).toEqual(['reach-v3-ep000-step0250.png', 'reach-v3-ep000-step0500.png', 'reach-v3-ep001-step0250.png', 'reach-v3-ep001-step0500.png']);
    expect((await readFile(join(frames, files[0]!))).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  }, 60_000);

  it('runs the Python template (zero actions): 0/2, exit 0', async () => {
    const agent = await agentCopy(resolve('sdk/python/template'), 'template');
    const run = await kinitro(['miner', 'local-eval', '--dir', agent, '--benchmark', 'MT1', '--tasks', 'reach-v3', '--episodes', '2']);
    expect(run.code).toBe(0);
    // 0 of 2: Wilson 95% [0, 0.6576].
    expect(run.out).toMatch(/reach-v3: success 0\/2 = 0\.0% \(95% Wilson 0\.0%–65\.8%\), mean reward \d/);
  }, 60_000);

  it('reports an agent that hangs in Act as TIMEOUT act, its fault, and exits 1; the next episode runs in a fresh sandbox', async () => {
    const agent = await agentCopy(resolve('libs/agent/src/runtime/fixtures/hostile'), 'hangs');
    await cp(resolve('sdk/python/examples/reach_expert'), join(agent, 'reach_expert'), { recursive: true });
    await cp(resolve('libs/agent/src/sandbox/fixtures/hostile.py'), join(agent, 'hostile.py'));
    const manifest = JSON.parse(await readFile(join(agent, 'kinitro.json'), 'utf8'));
    // It hangs in every episode: the second one gets its own verdict in a fresh sandbox, not the first one's.
    manifest.entrypoint.args = ['-m', 'kinitro_agent.serve', '--agent', 'agents:HangsInAct'];
    await writeFile(join(agent, 'kinitro.json'), JSON.stringify(manifest));
    const run = await kinitro([
      'miner',
      'local-eval',
      '--dir',
      agent,
      '--benchmark',
      'MT1',
      '--tasks',
      'reach-v3',
      '--episodes',
      '2',
      '--act-timeout-ms',
      '300',
    ]);
    expect(run.code).toBe(1);
    expect(run.out).toContain('reach-v3: success 0/2');
    expect(run.out).toContain('verdicts: 2');
    expect(run.out).toMatch(/reach-v3 episode 0 \(seed 1000\): TIMEOUT act \(agent fault\): agent act missed its deadline of 300 ms, wall [\d.]+ s/);
    expect(run.out).toMatch(/reach-v3 episode 1 \(seed 1001\): TIMEOUT act \(agent fault\)/);
  }, 60_000);

  it('refuses usage errors with exit 2 naming the flag', async () => {
    const run = await kinitro(['miner', 'local-eval', '--dir', dir, '--benchmark', 'MT1']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--benchmark MT1 needs exactly one task in --tasks');
    expect((await kinitro(['miner', 'local-eval', '--dir', dir, '--benchmark', 'MT1', '--tasks', 'reach-v3', '--sandbox', 'docker'])).code).toBe(2);
  });

  it('refuses a directory without a valid kinitro.json with exit 1', async () => {
    const run = await kinitro(['miner', 'local-eval', '--dir', dir, '--benchmark', 'MT1', '--tasks', 'reach-v3']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('cannot read');
  });
});
