import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ReplayService } from '#read-models';
import { startProjectionBed, type ProjectionBed } from '../../libs/read-models/src/testing/harness.js';
import { platformScenario } from '../../libs/read-models/src/testing/scenario.js';

/**
 * Fault 7: a full (swapping) replay while appends keep arriving. The swapped tables claim a last sequence L; a
 * clean bounded replay to L, run once the appends stopped, must hash the same (nothing skipped, nothing applied
 * twice). Small replay batches make the replay take several catch-up passes while the log grows. In-process and
 * cheap, but each run appends a few hundred events: RUNS is 3.
 */
const RUNS = Number(process.env.FAULT_REPLAY_RUNS ?? 3);
jest.setTimeout(30_000 * RUNS);

let bed: ProjectionBed;

beforeAll(async () => {
  bed = await startProjectionBed('fault replay appends');
});

afterAll(async () => {
  await bed?.dispose();
});

describe(`fault: replay while appends continue (${RUNS} runs)`, () => {
  it('the swapped tables equal a clean replay to the sequence they claim', async () => {
    const service = new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader });
    const lines: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const startedAt = await bed.append(platformScenario(`r${run}-seed`));
      let appending = true;
      const appends = (async () => {
        for (let i = 0; appending && i < 8; i++) await bed.append(platformScenario(`r${run}-a${i}`));
      })();
      const replay = await service.replay({ batchSize: 100 });
      appending = false;
      const end = Math.max(await appends.then(() => 0), await bed.reader.lastSequence());
      expect(replay.swapped).toBe(true);
      expect(replay.lastSequence).toBeGreaterThanOrEqual(startedAt);

      const clean = await service.replay({ toSequence: replay.lastSequence });
      expect(clean.lastSequence).toBe(replay.lastSequence);
      expect(replay.hashes).toEqual(clean.hashes);
      lines.push(`run ${run + 1}: replay started at ${startedAt}, swapped at ${replay.lastSequence}, log ended at ${end}; hashes = clean replay`);
    }
    console.log(`replay during appends: ${lines.length}/${RUNS} runs held\n${lines.join('\n')}`);
  });
});
