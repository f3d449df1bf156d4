import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RecordedEvent, RecordedEventOf } from '#contracts';
import { submissionIdFor } from '#domain';
import { eventually } from '#testing';
import { MINER, NETUID, rawCommitment, SchedulerTestBed, VALID_MANIFEST, VALIDATOR_A } from './testing/scheduler-test-bed.js';

/** The compiled entry point (`npm test` builds first; alone: `npx tsc -p tsconfig.build.json`). */
const MAIN = resolve('dist/apps/scheduler/src/main.js');
const TTL = 1_500;

let bed: SchedulerTestBed;
let child: ChildProcess | undefined;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
  bed = await SchedulerTestBed.start('scheduler kill');
  await bed.hub.createRepo('miner/agent', { 'kinitro.json': VALID_MANIFEST, 'serve.py': 'print("v0")' });
  await bed.competition('mt10', {
    name: 'Test',
    benchmarks: [{ name: 'reach', provider: 'control', tasks: ['reach'], episodesPerTask: 1, maxSteps: 10, timeoutSeconds: 600 }],
    weightShare: 1,
    maxRepoBytes: 10_000,
    submissionRateLimit: { count: 100, perSeconds: 3600 },
  });
  await bed.metagraph([{ hotkey: MINER }, { hotkey: VALIDATOR_A, validatorPermit: true }]);
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await bed?.dispose();
});

const commitNew = async (n: number) => {
  const sha = await bed.hub.commit('miner/agent', { 'serve.py': `print("v${n}")` });
  return bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: sha }));
};
const jobsOf = async (c: RecordedEventOf<'CommitmentObserved'>) => {
  const id = submissionIdFor(NETUID, c.data.hotkey, c.data.block, c.data.raw);
  return (await bed.events()).filter((e): e is RecordedEvent & RecordedEventOf<'JobCreated'> => e.type === 'JobCreated' && e.data.submissionId === id);
};

describe('scheduler process killed with -9', () => {
  it('is replaced by the standby within the lease period, and nothing is created twice', async () => {
    let output = '';
    child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        ...Object.fromEntries(
          Object.entries(bed.config({ SCHEDULER_LEASE_TTL_MS: TTL }))
            .filter(([, v]) => typeof v !== 'object')
            .map(([k, v]) => [k, String(v)]),
        ),
        HF_ENDPOINT: bed.hub.url,
        LOG_LEVEL: 'log',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually('the process holds the lease and consumes', () => output.includes('scheduling subnet'), 30_000);
    const first = await commitNew(1);
    await eventually('the process creates the job', async () => (await jobsOf(first)).length === 1, 15_000);

    let standbyUp = false;
    const standingBy = bed.startScheduler({}, { SCHEDULER_LEASE_TTL_MS: TTL }).then((running) => ((standbyUp = true), running));
    await new Promise((resolve) => setTimeout(resolve, TTL * 1.5));
    expect(standbyUp).toBe(false);

    const killedAt = Date.now();
    child.kill('SIGKILL');
    await standingBy;
    expect(Date.now() - killedAt).toBeLessThan(TTL + TTL / 3 + 1_500);
    const second = await commitNew(2);
    await eventually('the standby creates the next job', async () => (await jobsOf(second)).length === 1, 15_000);
    // The killed one's job is not created again by the standby's catch-up and redeliveries.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await jobsOf(first)).length).toBe(1);
    expect((await bed.eventsOf('JobCreated')).length).toBe(2);
  });
});
