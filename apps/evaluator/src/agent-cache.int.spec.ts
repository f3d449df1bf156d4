import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HfHubAdapter, HubIntegrityError } from '#storage';
import { LocalHub, testNamespace } from '#testing';
import { AgentCache, AgentRepoError } from './agent-cache.js';

// The agent cache against the in-repo Hub: verified downloads, one directory per revision, never a half one.
const MANIFEST = JSON.stringify({
  name: 'agent',
  version: '1.0.0',
  protocol: 'grpc',
  agentApiVersion: 'v1',
  entrypoint: { command: 'python3', args: ['agent.py'] },
});
let hub: LocalHub;
let root: string;
let cache: AgentCache;
const ns = testNamespace('agent cache');

beforeAll(async () => {
  hub = await LocalHub.start();
  root = await mkdtemp(join(tmpdir(), 'kinitro-agent-cache-'));
  cache = new AgentCache(new HfHubAdapter({ hubUrl: hub.url, requestTimeoutMs: 5_000 }), root);
});
afterAll(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

describe('AgentCache', () => {
  it('downloads a revision once, readable by the sandbox user, and serves it from disk afterwards', async () => {
    const repo = `${ns}/good`;
    const sha = await hub.createRepo(repo, { 'kinitro.json': MANIFEST, 'agent.py': 'print(1)\n', 'weights/w.bin': new Uint8Array(3000).fill(7) });
    const [first, concurrent] = await Promise.all([cache.get(repo, sha, 1_000_000), cache.get(repo, sha, 1_000_000)]);
    expect(first).toEqual(concurrent);
    expect(first).toMatchObject({ dir: join(root, repo, sha), manifest: { name: 'agent', entrypoint: { command: 'python3', args: ['agent.py'] } } });
    expect(await readFile(join(first.dir, 'weights/w.bin'))).toEqual(Buffer.from(new Uint8Array(3000).fill(7)));
    expect((await stat(first.dir)).mode & 0o777).toBe(0o755);
    const requests = hub.requests.length;
    await expect(cache.get(repo, sha, 1_000_000)).resolves.toEqual(first);
    expect(hub.requests.length).toBe(requests);
  });

  it('leaves nothing behind when a file does not match its checksum (retryable), and downloads it whole once it does', async () => {
    const repo = `${ns}/tampered`;
    const sha = await hub.createRepo(repo, { 'kinitro.json': MANIFEST, 'agent.py': 'print("the real agent")\n' });
    hub.tamper(repo, sha, 'agent.py', 'print("not the agent")\n');
    const error = await cache.get(repo, sha, 1_000_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubIntegrityError);
    expect((error as HubIntegrityError).retryable).toBe(true);
    expect(await readdir(join(root, repo))).toEqual([]);
    // The Hub serves the committed bytes again: the next attempt downloads the agent whole.
    hub.tamper(repo, sha, 'agent.py', 'print("the real agent")\n');
    const agent = await cache.get(repo, sha, 1_000_000);
    expect(await readFile(join(agent.dir, 'agent.py'), 'utf8')).toBe('print("the real agent")\n');
    expect(await readdir(join(root, repo))).toEqual([sha]);
  });

  it("refuses, as the miner's fault, a repo over the size limit, one without kinitro.json and an invalid one", async () => {
    const big = await hub.createRepo(`${ns}/big`, { 'kinitro.json': MANIFEST, 'weights.bin': new Uint8Array(5000) });
    await expect(cache.get(`${ns}/big`, big, 4096)).rejects.toThrow(AgentRepoError);
    await expect(cache.get(`${ns}/big`, big, 4096)).rejects.toThrow(/too large: .* more than the limit of 4\.0 KiB/);
    expect(await readdir(join(root, ns, 'big'))).toEqual([]);

    const bare = await hub.createRepo(`${ns}/bare`, { 'agent.py': 'print(1)\n' });
    await expect(cache.get(`${ns}/bare`, bare, 1_000_000)).rejects.toThrow(new AgentRepoError(`${ns}/bare@${bare} has no kinitro.json`));

    const invalid = await hub.createRepo(`${ns}/invalid`, { 'kinitro.json': JSON.stringify({ ...JSON.parse(MANIFEST), agentApiVersion: 'v9' }) });
    await expect(cache.get(`${ns}/invalid`, invalid, 1_000_000)).rejects.toThrow(/kinitro\.json of .* is invalid: agentApiVersion: "v9" is not supported/);
  });

  it("refuses, as the miner's fault, a revision the Hub does not have", async () => {
    await expect(cache.get(`${ns}/nowhere`, 'a'.repeat(40), 1_000_000)).rejects.toThrow(/cannot be found on the Hub/);
  });
});
