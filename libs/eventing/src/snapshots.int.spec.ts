import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import { openBucket } from './buckets.js';
import { KvSnapshotStore, SnapshotError } from './snapshots.js';
import { startTestBed, type EventingTestBed } from './testing/test-bed.js';

let bed: EventingTestBed;
let kv: KV;
let store: KvSnapshotStore;

beforeAll(async () => {
  bed = await startTestBed('snapshots');
  kv = await openBucket(bed.js, bed.topology.snapshotBucket, { replicas: 1 });
  store = new KvSnapshotStore(kv);
});
afterAll(() => bed.dispose());

describe('KvSnapshotStore', () => {
  it('has nothing under a key never written', async () => {
    expect(await store.load('nothing')).toBeUndefined();
  });

  it('gives back what was saved; a later save replaces it and drops the old chunks', async () => {
    await store.save('small', { stateVersion: 1, sequence: 10, eventId: 'e10', state: { a: [1, 2], b: 'x' } });
    expect(await store.load('small')).toEqual({ stateVersion: 1, sequence: 10, eventId: 'e10', state: { a: [1, 2], b: 'x' } });
    await store.save('small', { stateVersion: 1, sequence: 20, eventId: 'e20', state: { a: [] } });
    expect(await store.load('small')).toEqual({ stateVersion: 1, sequence: 20, eventId: 'e20', state: { a: [] } });
    const keys: string[] = [];
    for await (const key of await kv.keys('small.>')) keys.push(key);
    expect(keys).toHaveLength(1);
  });

  it('keeps a state larger than one NATS message (incompressible 3 MB) across chunks', async () => {
    const blob = randomBytes(3 * 1024 * 1024).toString('base64');
    await store.save('large', { stateVersion: 2, sequence: 5, eventId: 'e5', state: { blob } });
    const loaded = await store.load('large');
    expect((loaded!.state as { blob: string }).blob).toBe(blob);
  });

  it('refuses a snapshot whose chunks do not match its manifest', async () => {
    await store.save('corrupt', { stateVersion: 1, sequence: 1, eventId: 'e1', state: { ok: true } });
    const manifest = (await kv.get('corrupt'))!.json<{ generation: string }>();
    await kv.put(`corrupt.${manifest.generation}.0`, new Uint8Array([1, 2, 3]));
    await expect(store.load('corrupt')).rejects.toThrow(SnapshotError);
    await expect(store.load('corrupt')).rejects.toThrow(/checksum mismatch/);
  });
});
