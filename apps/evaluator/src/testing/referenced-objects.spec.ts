import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '#contracts';
import { FsObjectStore } from '#storage';
import { checkReferencedObjects, referencedObjects } from './referenced-objects.js';

// The check the S3 fault relies on must be able to fail: it is run here against a filesystem store holding one object.
const TEXT = new TextEncoder().encode('kinitro trajectory\n');
/** sha256 of TEXT, computed with `printf 'kinitro trajectory\n' | sha256sum`. */
const TEXT_SHA = 'e6f9fb14167e6201a5d1ce758b69063f2223482b677e7c79a24209652c3a20de';

let dir: string;
let store: FsObjectStore;
let sha: string;

const event = (type: string, streamSequence: number, data: unknown, recordedAt = new Date(Date.now() + 60_000).toISOString()) =>
  ({ type, streamSequence, recordedAt, data }) as unknown as RecordedEvent;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinitro-refs-'));
  store = new FsObjectStore({ dir });
  await store.start();
  sha = (await store.putContent(TEXT)).sha256;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('checkReferencedObjects', () => {
  it('finds references by shape, in any event and at any depth', () => {
    const refs = referencedObjects([
      event('EpisodeRecorded', 7, {
        trajectoryKey: 'sha256/a',
        trajectory: { key: 'sha256/a', sha256: 'a', bytes: 1 },
        frames: [{ camera: 'corner', key: 'sha256/b', sha256: 'b', bytes: 2 }],
      }),
      event('SomethingNew', 8, { nested: { logKey: 'logs/1' }, hotkey: '5Grw', keyId: 'k1' }),
    ]);
    expect(refs.map((r) => [r.event.streamSequence, r.path, r.key])).toEqual([
      [7, 'data.trajectoryKey', 'sha256/a'],
      [7, 'data.trajectory', 'sha256/a'],
      [7, 'data.frames[0]', 'sha256/b'],
      [8, 'data.nested.logKey', 'logs/1'],
    ]);
  });

  it('passes a stored object as stated, and names each missing or misstated one', async () => {
    expect(sha).toBe(TEXT_SHA);
    const key = `sha256/${sha}`;
    const ok = event('EpisodeRecorded', 1, { trajectoryKey: key, trajectory: { key, sha256: sha, bytes: TEXT.length } });
    expect((await checkReferencedObjects(store, [ok])).problems).toEqual([]);

    const missing = `sha256/${'0'.repeat(64)}`;
    const bad = [
      event('EpisodeRecorded', 2, { trajectory: { key: missing, sha256: '0'.repeat(64), bytes: 3 } }),
      event('EpisodeRecorded', 3, { trajectory: { key, sha256: sha, bytes: TEXT.length + 1 } }),
      // Recorded before the object was written: a reader of the event would have found nothing.
      event('EpisodeRecorded', 4, { trajectoryKey: key }, new Date(Date.now() - 60_000).toISOString()),
    ];
    const { problems } = await checkReferencedObjects(store, bad);
    expect(problems).toEqual([
      `EpisodeRecorded #2 data.trajectory (${missing}): not in the bucket`,
      `EpisodeRecorded #3 data.trajectory (${key}): HEAD says ${TEXT.length} bytes, the event ${TEXT.length + 1}`,
      `EpisodeRecorded #3 data.trajectory (${key}): GET returns ${TEXT.length} bytes, the event says ${TEXT.length + 1}`,
      expect.stringMatching(new RegExp(`^EpisodeRecorded #4 data.trajectoryKey \\(${key}\\): last written .*, after the event`)),
    ]);
  });
});
