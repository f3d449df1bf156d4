import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { eventually } from '#testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { ReplayService, ReadModelStore, tableHashes } from '#read-models';
import { startProjectionBed, type ProjectionBed } from '../../../libs/read-models/src/testing/harness.js';
import { platformScenario } from '../../../libs/read-models/src/testing/scenario.js';

// Two projector processes and a replay on a shared, often busy machine.
jest.setTimeout(60_000);

/** The compiled entry point (`npm test` builds first; alone: `npx tsc -p tsconfig.build.json`). */
const MAIN = resolve('dist/apps/projector/src/main.js');

let bed: ProjectionBed;
let store: ReadModelStore;
const children: ChildProcess[] = [];
let lastSequence = 0;
let liveHashes: Record<string, string> = {};

const startProjector = (args: string[] = [], stdout: 'ignore' | 'pipe' = 'ignore'): ChildProcess => {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: {
      ...process.env,
      NATS_URL: bed.natsUrl,
      DATABASE_URL: bed.databaseUrl,
      DATABASE_SCHEMA: bed.namespace,
      KINITRO_NAMESPACE: bed.namespace,
      PROJECTOR_BATCH_SIZE: '5',
    },
    stdio: ['ignore', stdout, 'inherit'],
  });
  children.push(child);
  return child;
};
const checkpoint = () => store.checkpoint(bed.dataSource);

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
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
