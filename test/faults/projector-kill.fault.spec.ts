import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { eventually } from '#testing';
import { ReadModelStore, ReplayService, tableHashes } from '#read-models';
import { startProjectionBed, type ProjectionBed } from '../../libs/read-models/src/testing/harness.js';
import { platformScenario } from '../../libs/read-models/src/testing/scenario.js';

/**
 * Fault 1: kill -9 the projector mid-batch, restart it, and its tables must equal a clean replay of the same
 * stream (nothing lost, nothing applied twice). Each run spawns two compiled projector processes (≈ 2–4 s on a
 * busy 2-core machine), so RUNS is 4, not 20; each run kills at a different checkpoint.
 */
const RUNS = Number(process.env.FAULT_PROJECTOR_RUNS ?? 4);
jest.setTimeout(60_000 * RUNS);

const MAIN = resolve('dist/apps/projector/src/main.js');
let bed: ProjectionBed;
let store: ReadModelStore;
const children: ChildProcess[] = [];

const startProjector = (): ChildProcess => {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NATS_URL: bed.natsUrl, DATABASE_URL: bed.databaseUrl, DATABASE_SCHEMA: bed.namespace, KINITRO_NAMESPACE: bed.namespace, PROJECTOR_BATCH_SIZE: '5' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
};

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run build)`);
  bed = await startProjectionBed('fault projector kill');
  store = new ReadModelStore(bed.dataSource, bed.namespace);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await bed?.dispose();
});

describe(`fault: projector kill -9 mid-batch (${RUNS} runs)`, () => {
  it('after each kill and restart the tables equal a clean replay of the stream', async () => {
    const checkpoint = () => store.checkpoint(bed.dataSource);
    const outcomes: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const before = await checkpoint();
      const lasts: number[] = [];
      const seeds = Array.from({ length: 4 }, (_, i) => `r${run}k${i}`);
      for (let i = 0; i < seeds.length; i += 4) lasts.push(...(await Promise.all(seeds.slice(i, i + 4).map((seed) => bed.append(platformScenario(seed))))));
      const last = Math.max(...lasts);

      // Kill after a different number of batches each run (batch size 5), so the kill lands at varied offsets.
      const killAfter = before + 5 * (1 + (run % 4));
      const first = startProjector();
      await eventually(`checkpoint past ${killAfter}`, async () => (await checkpoint()) >= Math.min(killAfter, last), 30_000);
      first.kill('SIGKILL');
      await once(first, 'exit');
      const killedAt = await checkpoint();

      const second = startProjector();
      await eventually(`checkpoint ${last}`, async () => (await checkpoint()) === last, 30_000);
      second.kill('SIGTERM');
      const [code] = await once(second, 'exit');
      expect(code).toBe(0);

      const replay = await new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader }).replay({ toSequence: last });
      expect(await tableHashes(bed.dataSource, bed.namespace)).toEqual(replay.hashes);
      outcomes.push(`run ${run + 1}: killed at ${killedAt}/${last}, tables = replay`);
    }
    console.log(`projector kill -9: ${outcomes.length}/${RUNS} runs held\n${outcomes.join('\n')}`);
    expect(outcomes).toHaveLength(RUNS);
  });
});
