import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHub, testNamespace } from '#testing';
import { HubAuthError } from './errors.js';
import { HfHubAdapter } from './hf-hub-adapter.js';
import { AgentDirError, minerUpload } from './miner-upload.js';
import type { UploadProgress } from './port.js';

const TOKEN = 'hf_miner_token';
const manifest = { name: 'pick-place', version: '0.3.1', protocol: 'grpc', agentApiVersion: 'v1', entrypoint: { command: './serve' } };

let hub: LocalHub;
let work: string;
const ns = testNamespace('miner upload');

const agentDir = async (name: string, files: Record<string, string>): Promise<string> => {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content);
  return dir;
};

beforeAll(async () => {
  hub = await LocalHub.start({ tokens: [TOKEN] });
  work = await mkdtemp(join(tmpdir(), 'kinitro-miner-upload-'));
});

afterAll(async () => {
  await hub.close();
  await rm(work, { recursive: true, force: true });
});

describe('minerUpload', () => {
  it('publishes the agent and returns the revision to commit on chain', async () => {
    const dir = await agentDir('ok', { 'kinitro.json': JSON.stringify(manifest), serve: '#!/bin/sh\nexec python -m agent\n' });
    const seen: UploadProgress[] = [];

    const result = await minerUpload({ dir, repo: `${ns}/agent`, hubUrl: hub.url, token: TOKEN, onProgress: (p) => seen.push(p) });

    expect(result).toMatchObject({
      repo: `${ns}/agent`,
      sha: hub.head(`${ns}/agent`),
      files: 2,
      manifest: { ...manifest, entrypoint: { command: './serve', args: [] } },
    });
    await expect(new HfHubAdapter({ hubUrl: hub.url }).readManifest(`${ns}/agent`, result.sha)).resolves.toMatchObject({ ok: true });
    expect(seen.at(-1)).toMatchObject({ phase: 'done', bytesDone: seen.at(-1)!.bytesTotal, filesTotal: 2 });
  });

  it('refuses a directory without a manifest before contacting the Hub', async () => {
    const before = hub.requests.length;
    const dir = await agentDir('no-manifest', { 'agent.py': 'print(1)' });
    await expect(minerUpload({ dir, repo: `${ns}/x`, hubUrl: hub.url, token: TOKEN })).rejects.toThrow(/kinitro\.json is missing/);
    expect(hub.requests.length).toBe(before);
  });

  it('refuses an invalid manifest, naming the field', async () => {
    const dir = await agentDir('bad-manifest', { 'kinitro.json': JSON.stringify({ ...manifest, agentApiVersion: 'v9' }) });
    const error = await minerUpload({ dir, repo: `${ns}/x`, hubUrl: hub.url, token: TOKEN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentDirError);
    expect((error as AgentDirError).issues).toEqual([expect.objectContaining({ field: 'agentApiVersion', reason: 'unsupported_api_version' })]);
  });

  it('refuses a repo id that is not owner/name', async () => {
    const dir = await agentDir('bad-repo', { 'kinitro.json': JSON.stringify(manifest) });
    await expect(minerUpload({ dir, repo: 'just-a-name', hubUrl: hub.url, token: TOKEN })).rejects.toBeInstanceOf(AgentDirError);
  });

  it('reports a token the Hub refuses as a HubAuthError', async () => {
    const dir = await agentDir('wrong-token', { 'kinitro.json': JSON.stringify(manifest) });
    await expect(minerUpload({ dir, repo: `${ns}/denied`, hubUrl: hub.url, token: 'hf_wrong' })).rejects.toMatchObject({ name: 'HubAuthError', status: 401 });
  });

  it('needs a token at all', async () => {
    const dir = await agentDir('no-token', { 'kinitro.json': JSON.stringify(manifest) });
    await expect(minerUpload({ dir, repo: `${ns}/anon`, hubUrl: hub.url })).rejects.toBeInstanceOf(HubAuthError);
  });
});
