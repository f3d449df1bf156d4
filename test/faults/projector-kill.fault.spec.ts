import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { once } from 'node:events';
import { eventually } from '#testing';
import { ReadModelStore, ReplayService, tableHashes } from '#read-models';
import { startProjectionBed, type ProjectionBed } from '../../libs/read-models/src/testing/harness.js';
import { platformScenario } from '../../libs/read-models/src/testing/scenario.js';
import { projectorProcesses } from './support/projector-process.js';

/**
 * Fault 1: kill -9 the projector mid-batch, restart it, and its tables must equal a clean replay of the same
 * stream (nothing lost, nothing applied twice). Each run spawns two compiled projector processes (≈ 2–4 s on a
 * busy 2-core machine), so RUNS is 4, not 20; each run kills at a different checkpoint.
 */
const RUNS = Number(process.env.FAULT_PROJECTOR_RUNS ?? 4);
jest.setTimeout(60_000 * RUNS);

let bed: ProjectionBed;
let store: ReadModelStore;
const projectors = projectorProcesses(() => bed);

beforeAll(async () => {
  bed = await startProjectionBed('fault projector kill');
  store = new ReadModelStore(bed.dataSource, bed.namespace);
});

afterAll(async () => {
  projectors.killAll();
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
      const first = projectors.start();
      await eventually(`checkpoint past ${killAfter}`, async () => (await checkpoint()) >= Math.min(killAfter, last), 30_000);
      first.kill('SIGKILL');
      await once(first, 'exit');
      const killedAt = await checkpoint();

      const second = projectors.start();
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
