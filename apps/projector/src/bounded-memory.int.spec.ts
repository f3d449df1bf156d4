import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { eventually } from '#testing';
import { ReadModelStore, tableHashes } from '#read-models';
import { EventSource, publishBulk } from '../../../libs/read-models/src/testing/bulk-log.js';
import { startProjectionBed, type ProjectionBed } from '../../../libs/read-models/src/testing/harness.js';
import { requireBuiltProjector, spawnProjector } from './testing/projector-process.js';

/**
 * The projector's live projection and its replay run in bounded memory whatever the log's length: both as real
 * processes under a V8 heap limit, over a log whose decoded events would not fit in it if they stayed reachable
 * (the leak this guards against kept every event read, 2-3 KB each: 120k events, 240 MB and more). Checked by
 * hand: an array keeping every decoded event (live) or every batch the replay's reader yields makes each fail
 * with V8's heap-limit abort. The replay's decoding workers each read only half the log, which fits.
 */
const EVENTS = 120_000;
/** The live projector's batches are small (2000 events): its working set is the app and the row cache. */
const LIVE_HEAP_MB = 128;
/** A replay holds about three batches of 20k events (folding, committing, read ahead) and the row cache: ~150 MB. */
const REPLAY_HEAP_MB = 200;

// Publishing and projecting 120k events, twice over, on a shared machine.
jest.setTimeout(180_000);

let bed: ProjectionBed;
const children: ChildProcess[] = [];
const projector = (heapMb: number, args: string[] = []) => {
  const child = spawnProjector(bed, { args, stdout: args.length ? 'pipe' : 'ignore', nodeFlags: [`--max-old-space-size=${heapMb}`] });
  children.push(child);
  return child;
};

beforeAll(async () => {
  requireBuiltProjector();
  bed = await startProjectionBed('projector memory');
  await publishBulk(bed, new EventSource(), EVENTS);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await bed?.dispose();
});

describe('projector memory', () => {
  let liveHashes: Record<string, string> = {};

  it(`projects ${EVENTS} events live under a ${LIVE_HEAP_MB} MB heap`, async () => {
    const live = projector(LIVE_HEAP_MB);
    let exited: unknown;
    live.once('exit', (code, signal) => (exited = signal ?? code));
    const store = new ReadModelStore(bed.dataSource, bed.namespace);
    await eventually(
      `checkpoint ${EVENTS}`,
      async () => {
        // A projector that ran out of heap is gone: say so rather than wait out the timeout.
        if (exited !== undefined) throw new Error(`the projector exited (${String(exited)}) before the end of the log`);
        return (await store.checkpoint(bed.dataSource)) === EVENTS;
      },
      150_000,
    );
    live.kill('SIGTERM');
    const [code] = await once(live, 'exit');
    expect(code).toBe(0);
    liveHashes = await tableHashes(bed.dataSource, bed.namespace);
  });

  it(`replays them under a ${REPLAY_HEAP_MB} MB heap to the same tables`, async () => {
    const replay = projector(REPLAY_HEAP_MB, ['replay', '--to-seq', String(EVENTS)]);
    let output = '';
    replay.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code, signal] = await once(replay, 'exit');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output).toContain(`to sequence ${EVENTS}`);
    expect(Object.keys(liveHashes).length).toBeGreaterThan(0);
    for (const [table, hash] of Object.entries(liveHashes)) expect(output).toMatch(new RegExp(`^${table} +${hash}$`, 'm'));
  });
});
