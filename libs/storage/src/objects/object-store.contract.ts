import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ObjectNotFoundError, ObjectStoreError } from './errors.js';
import type { ObjectStore } from './port.js';

/**
 * The behaviour every ObjectStore adapter owes its callers, run against the real thing (a directory, a Ceph
 * RGW bucket). Golden sha256 values were computed outside this code with coreutils' sha256sum.
 */
export interface ContractSubject {
  store: ObjectStore;
  /** The same adapter pointed at something broken (a closed port, a path that is a file): an outage, not a miss. */
  broken: ObjectStore;
  /** Whether url() mints presigned, expiring URLs (S3) or none (the filesystem without a public base). */
  presigns: boolean;
  teardown(): Promise<void>;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

// printf 'kinitro trajectory v1\n' | sha256sum
const TRAJECTORY = 'kinitro trajectory v1\n';
const TRAJECTORY_SHA256 = '923db2857f38662ca7c2325df6e10edc2e2f233a8521d53891325e10f726dd48';
// yes 'kinitro-frame-0123456789' | head -c 20971520 | sha256sum
const LARGE_SIZE = 20 * 1024 * 1024;
const LARGE_SHA256 = 'd2a9fec362bf465ac13982cf77ba8b48cf1c77fe65d1e77836c76e366220dc5f';

/** The bytes of `yes 'kinitro-frame-0123456789' | head -c N`, made 64 KiB at a time. */
async function* yesLines(total: number): AsyncGenerator<Buffer> {
  const line = 'kinitro-frame-0123456789\n';
  const chunk = Buffer.from(line.repeat(Math.ceil(65_536 / line.length)));
  let sent = 0;
  while (sent < total) {
    // Each chunk starts on a line boundary (chunk.length is a multiple of the line length). Views of one
    // buffer, never written to, so the source itself allocates nothing while the store reads it.
    const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
    sent += piece.length;
    yield piece;
  }
}

/** Highest `arrayBuffers` (where Buffers live) seen while `work` runs, above what it was before. */
const peakBufferGrowth = async (work: () => Promise<void>): Promise<number> => {
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage().arrayBuffers) - before;
};

export const objectStoreContract = (adapter: string, setup: () => Promise<ContractSubject>): void => {
  describe(`ObjectStore contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: ObjectStore;
    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
      await store.start();
    });
    afterAll(async () => subject?.teardown());

    it('round-trips bytes with their size, sha256 and content type', async () => {
      const put = await store.put('episodes/e1/trajectory.jsonl', text(TRAJECTORY), { contentType: 'application/x-ndjson' });
      expect(put).toEqual({ key: 'episodes/e1/trajectory.jsonl', size: 22, sha256: TRAJECTORY_SHA256, contentType: 'application/x-ndjson' });
      expect(decode(await store.get('episodes/e1/trajectory.jsonl'))).toBe(TRAJECTORY);
      expect(await store.head('episodes/e1/trajectory.jsonl')).toMatchObject({ size: 22, sha256: TRAJECTORY_SHA256, contentType: 'application/x-ndjson' });
      expect(await store.exists('episodes/e1/trajectory.jsonl')).toBe(true);
    });

    it('replaces an object put again under the same key', async () => {
      await store.put('episodes/e2/notes', text('first'));
      await store.put('episodes/e2/notes', text('second'));
      expect(decode(await store.get('episodes/e2/notes'))).toBe('second');
      expect((await store.head('episodes/e2/notes'))?.contentType).toBe('application/octet-stream');
    });

    it('stores content once under its sha256 key: a second put of the same bytes is a no-op', async () => {
      const first = await store.putContent(text(TRAJECTORY), { contentType: 'application/x-ndjson' });
      expect(first).toEqual({ key: `sha256/${TRAJECTORY_SHA256}`, size: 22, sha256: TRAJECTORY_SHA256, contentType: 'application/x-ndjson', created: true });
      const modified = (await store.head(first.key))!.lastModified;
      const again = await store.putContent(Readable.from([Buffer.from('kinitro '), Buffer.from('trajectory v1\n')]), { contentType: 'text/plain' });
      expect(again).toEqual({ ...first, created: false });
      expect((await store.head(first.key))?.lastModified).toEqual(modified);
      expect((await store.list('sha256/')).map((o) => o.key)).toEqual([first.key]);
    });

    it('keeps one object when the same content is put concurrently, and reserves sha256/ for content', async () => {
      // printf 'frame-a' | sha256sum
      const sha = '277381a90f483ca3af44b69d168dbb2e65ed7f92dbf4f2d105d3fbabd58fbf99';
      const puts = await Promise.all([1, 2, 3, 4].map(() => store.putContent(text('frame-a'))));
      expect(new Set(puts.map((p) => p.key))).toEqual(new Set([`sha256/${sha}`]));
      expect(puts.some((p) => p.created)).toBe(true);
      expect(await store.head(`sha256/${sha}`)).toMatchObject({ size: 7, sha256: sha });
      expect(decode(await store.get(`sha256/${sha}`))).toBe('frame-a');
      await expect(store.put(`sha256/${sha}`, text('frame-b'))).rejects.toMatchObject({ name: 'InvalidObjectKeyError' });
      expect(decode(await store.get(`sha256/${sha}`))).toBe('frame-a');
    });

    it('stores an empty object', async () => {
      // printf '' | sha256sum
      const put = await store.putContent(new Uint8Array(0));
      expect(put).toMatchObject({ size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
      expect(await store.get(put.key)).toHaveLength(0);
      expect(await store.get(put.key, { offset: 0, length: 5 })).toHaveLength(0);
      expect(await store.head(put.key)).toMatchObject({ size: 0 });
    });

    it('reads byte ranges', async () => {
      const { key } = await store.putContent(text(TRAJECTORY));
      expect(decode(await store.get(key, { offset: 8, length: 10 }))).toBe('trajectory');
      expect(decode(await store.get(key, { offset: 19 }))).toBe('v1\n');
      expect(decode(await store.get(key, { offset: 0, length: 7 }))).toBe('kinitro');
      expect(await store.get(key, { offset: 22 })).toHaveLength(0);
      expect(await store.get(key, { offset: 5, length: 0 })).toHaveLength(0);
      expect(decode(await store.get(key, { offset: 19, length: 100 }))).toBe('v1\n');
      await expect(store.get(key, { offset: -1 })).rejects.toBeInstanceOf(ObjectStoreError);
      await expect(store.get('sha256/missing-range', { offset: 2, length: 3 })).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('tells a missing object apart: head undefined, get ObjectNotFoundError naming the key, delete a no-op', async () => {
      expect(await store.head('episodes/none/frames.bin')).toBeUndefined();
      expect(await store.exists('episodes/none/frames.bin')).toBe(false);
      const error = await store.get('episodes/none/frames.bin').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObjectNotFoundError);
      expect((error as ObjectNotFoundError).key).toBe('episodes/none/frames.bin');
      await expect(store.getStream('episodes/none/frames.bin')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.delete('episodes/none/frames.bin')).resolves.toBeUndefined();
    });

    it('deletes an object', async () => {
      await store.put('ops/scratch', text('x'));
      await store.delete('ops/scratch');
      expect(await store.exists('ops/scratch')).toBe(false);
      await expect(store.get('ops/scratch')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('reports a broken backend as ObjectStoreError, never as a missing object', async () => {
      const { broken } = subject;
      for (const attempt of [
        () => broken.get('episodes/e1/trajectory.jsonl'),
        () => broken.head('episodes/e1/trajectory.jsonl'),
        () => broken.exists('episodes/e1/trajectory.jsonl'),
        () => broken.put('episodes/e1/other', text('x')),
        () => broken.putContent(text('x')),
        () => broken.list('episodes/'),
      ]) {
        const error = await attempt().then(
          (value) => ({ resolved: value }),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ObjectStoreError);
        expect(error).not.toBeInstanceOf(ObjectNotFoundError);
        expect((error as Error).cause).toBeDefined();
      }
    });

    it('refuses keys that are not relative /-separated paths before any I/O', async () => {
      for (const key of ['', '/abs', '../up', 'a/../b', 'a//b', 'a/', 'a\\b', 'nul\u0000', './a']) {
        await expect(store.put(key, text('x'))).rejects.toMatchObject({ name: 'InvalidObjectKeyError' });
        await expect(store.get(key)).rejects.toMatchObject({ name: 'InvalidObjectKeyError' });
        await expect(store.head(key)).rejects.toMatchObject({ name: 'InvalidObjectKeyError' });
        await expect(store.url(key)).rejects.toMatchObject({ name: 'InvalidObjectKeyError' });
      }
      await expect(store.list('../')).rejects.toMatchObject({ name: 'InvalidObjectKeyError' });
    });

    it('lists by prefix, in key order, with sizes', async () => {
      for (const key of ['runs/r1/b', 'runs/r1/a', 'runs/r2/a', 'runsx/a']) await store.put(key, text(key));
      const keys = async (prefix: string) => (await store.list(prefix)).map((o) => o.key);
      expect(await keys('runs/r1/')).toEqual(['runs/r1/a', 'runs/r1/b']);
      expect(await keys('runs/')).toEqual(['runs/r1/a', 'runs/r1/b', 'runs/r2/a']);
      expect(await keys('runs')).toEqual(['runs/r1/a', 'runs/r1/b', 'runs/r2/a', 'runsx/a']);
      expect(await keys('runs/r1/b')).toEqual(['runs/r1/b']);
      expect(await keys('nothing/')).toEqual([]);
      expect((await store.list('runs/r2/'))[0]).toMatchObject({ key: 'runs/r2/a', size: 9 });
      // Within a minute of now (a Date from the adapter's realm fails jest's toBeInstanceOf).
      expect(Math.abs((await store.list('runs/r2/'))[0]!.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('streams a 20 MiB object in and out without holding it twice in memory', async () => {
      let key = '';
      const putGrowth = await peakBufferGrowth(async () => {
        const put = await store.putContent(Readable.from(yesLines(LARGE_SIZE)), { contentType: 'application/octet-stream' });
        expect(put).toMatchObject({ size: LARGE_SIZE, sha256: LARGE_SHA256, created: true });
        key = put.key;
      });
      expect(key).toBe(`sha256/${LARGE_SHA256}`);
      const hash = createHash('sha256');
      let size = 0;
      const getGrowth = await peakBufferGrowth(async () => {
        for await (const chunk of await store.getStream(key)) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
      });
      expect({ size, sha256: hash.digest('hex') }).toEqual({ size: LARGE_SIZE, sha256: LARGE_SHA256 });
      expect(putGrowth).toBeLessThan(2 * LARGE_SIZE);
      expect(getGrowth).toBeLessThan(2 * LARGE_SIZE);
      // yes 'kinitro-frame-0123456789' | head -c 20971520 | tail -c 25
      expect(decode(await store.get(key, { offset: LARGE_SIZE - 25 }))).toBe('6789\nkinitro-frame-012345');
    });

    it('mints URLs on read: presigned and expiring, or none with the reason', async () => {
      const { key } = await store.putContent(text(TRAJECTORY), { contentType: 'application/x-ndjson' });
      const minted = await store.url(key, { ttlSeconds: 2 });
      if (!subject.presigns) {
        expect(minted.url).toBeUndefined();
        expect(minted).toMatchObject({ reason: expect.stringContaining('OBJECT_STORE_PUBLIC_URL') });
        return;
      }
      if (minted.url === undefined) throw new Error(`expected a presigned URL, got: ${minted.reason}`);
      const response = await fetch(minted.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson');
      expect(await response.text()).toBe(TRAJECTORY);
      expect(minted.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(2000);
      await new Promise((resolve) => setTimeout(resolve, minted.expiresAt!.getTime() - Date.now() + 1500));
      const expired = await fetch(minted.url);
      expect(expired.status).toBe(403);
      await expired.arrayBuffer();
    });
  });
};
