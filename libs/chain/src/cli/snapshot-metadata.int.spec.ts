import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSubtensorMetadata, SubtensorTestNode } from '#testing';
import { snapshotMetadata } from './snapshot-metadata.js';

let node: SubtensorTestNode;
let dir: string;

beforeAll(async () => {
  node = await SubtensorTestNode.start();
  dir = await mkdtemp(join(tmpdir(), 'kinitro-metadata-'));
});

afterAll(async () => {
  await node?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot-metadata', () => {
  it('writes the node’s state_getMetadata bytes, which the test node can then serve', async () => {
    const out = join(dir, 'nested', 'snapshot.scale');
    expect(await snapshotMetadata(node.url, out)).toEqual({ bytes: expect.any(Number), specVersion: 393 });
    const written = new Uint8Array(await readFile(out));
    expect(Buffer.from(written).equals(Buffer.from(loadSubtensorMetadata().bytes))).toBe(true);
    expect(loadSubtensorMetadata(out).runtimeVersion.specVersion).toBe(393);
  });

  it('fails naming the URL when no node answers', async () => {
    await expect(snapshotMetadata('ws://127.0.0.1:1', join(dir, 'x.scale'))).rejects.toThrow(/ECONNREFUSED|127\.0\.0\.1:1/);
  });
});
