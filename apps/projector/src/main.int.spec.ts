import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { eventually } from '#testing';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ReplayService, ReadModelStore, tableHashes } from '#read-models';
import { startProjectionBed, type ProjectionBed } from '../../../libs/read-models/src/testing/harness.js';
import { platformScenario } from '../../../libs/read-models/src/testing/scenario.js';
import { requireBuiltProjector, spawnProjector } from './testing/projector-process.js';

// Two projector processes and a replay on a shared, often busy machine.
jest.setTimeout(60_000);

let bed: ProjectionBed;
let store: ReadModelStore;
const children: ChildProcess[] = [];
let lastSequence = 0;
let liveHashes: Record<string, string> = {};

const startProjector = (args: string[] = [], stdout: 'ignore' | 'pipe' = 'ignore'): ChildProcess => {
  const child = spawnProjector(bed, { args, stdout, env: { PROJECTOR_BATCH_SIZE: '5' } });
  children.push(child);
  return child;
};
const checkpoint = () => store.checkpoint(bed.dataSource);

beforeAll(async () => {
  requireBuiltProjector();
  bed = await startProjectionBed('projector main');
  store = new ReadModelStore(bed.dataSource, bed.namespace);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await bed.dispose();
});

describe('projector process', () => {
  it('survives kill -9 mid-projection: after a restart its tables equal a clean replay', async () => {
    const seeds = Array.from({ length: 24 }, (_, i) => `k${i}`);
    const lasts: number[] = [];
    for (let i = 0; i < seeds.length; i += 8) {
      lasts.push(...(await Promise.all(seeds.slice(i, i + 8).map((seed) => bed.append(platformScenario(seed))))));
    }
    const last = Math.max(...lasts);

    const first = startProjector();
    await eventually('the first batch', async () => (await checkpoint()) > 0, 30_000);
    first.kill('SIGKILL');
    await once(first, 'exit');
    const killedAt = await checkpoint();
    expect(killedAt).toBeLessThan(last);

    const second = startProjector();
    await eventually(`checkpoint ${last}`, async () => (await checkpoint()) === last, 30_000);
    second.kill('SIGTERM');
    const [code] = await once(second, 'exit');
    expect(code).toBe(0);

    const replay = await new ReplayService({ databaseUrl: bed.databaseUrl, liveSchema: bed.namespace, reader: bed.reader }).replay({ toSequence: last });
    expect(await tableHashes(bed.dataSource, bed.namespace)).toEqual(replay.hashes);
    lastSequence = last;
    liveHashes = replay.hashes;
  });

  it('prints the hash of every table from a bounded replay command, then drops its schema', async () => {
    const child = startProjector(['replay', '--to-seq', String(lastSequence)], 'pipe');
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output).toContain(`to sequence ${lastSequence}`);
    expect(output).toContain('its schema dropped');
    for (const [table, hash] of Object.entries(liveHashes)) expect(output).toMatch(new RegExp(`^${table} +${hash}$`, 'm'));
    const left: unknown[] = await bed.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${bed.namespace}\\_\\_replay%`]);
    expect(left).toEqual([]);
  });
});
