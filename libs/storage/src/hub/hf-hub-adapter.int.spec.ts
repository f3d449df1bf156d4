import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHub, testNamespace } from '#testing';
import { HfHubAdapter } from './hf-hub-adapter.js';
import { HubIntegrityError, HubLimitError, HubNotFoundError, HubUnavailableError } from './errors.js';
import type { UploadProgress } from './port.js';

const TOKEN = 'hf_local_test_token';
const manifest = {
  name: 'reach-agent',
  version: '1.0.0',
  protocol: 'grpc',
  agentApiVersion: 'v1',
  entrypoint: { command: 'python', args: ['-m', 'agent'] },
};
/** Binary content (it has NUL bytes), which the Hub keeps in LFS. */
const weights = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
const agentFiles = {
  'kinitro.json': JSON.stringify(manifest),
  'agent/__init__.py': '',
  'agent/policy.py': 'def act(obs):\n    return [0.0] * 4\n',
  'weights.bin': weights,
};
const agentBytes = Object.values(agentFiles).reduce((sum, c) => sum + Buffer.byteLength(c), 0);

let hub: LocalHub;
let client: HfHubAdapter;
let work: string;
const ns = testNamespace('hub adapter');
const repoName = (hint: string) => `${ns}/${hint}`;

beforeAll(async () => {
  hub = await LocalHub.start({ tokens: [TOKEN] });
  client = new HfHubAdapter({ hubUrl: hub.url, token: TOKEN, requestTimeoutMs: 2000 });
  work = await mkdtemp(join(tmpdir(), 'kinitro-hub-int-'));
});

afterAll(async () => {
  await hub.close();
  await rm(work, { recursive: true, force: true });
});

afterEach(() => hub.setFault({ kind: 'none' }));

const writeDir = async (name: string, files: Record<string, string | Uint8Array>): Promise<string> => {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
};

const listTree = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

describe('HfHubAdapter against the local Hub', () => {
  describe('uploadAgentDir', () => {
    it('creates the repo, uploads small files inline and binary ones through LFS, and returns the new commit', async () => {
      const repo = repoName('upload');
      const dir = await writeDir('upload', agentFiles);
      const progress: UploadProgress[] = [];

      const result = await client.uploadAgentDir(repo, dir, { onProgress: (p) => progress.push(p) });

      expect(result).toEqual({ repo, sha: expect.stringMatching(/^[0-9a-f]{40}$/), files: 4, bytes: expect.any(Number) });
      expect(hub.head(repo)).toBe(result.sha);
      expect(hub.requests).toEqual(expect.arrayContaining([expect.stringMatching(/^PUT \/lfs-upload\//), `POST /api/repos/create`]));
      const snapshot = await client.repoSnapshot(repo, result.sha);
      expect(snapshot.files.map((f) => f.path)).toEqual(['.gitattributes', 'agent/__init__.py', 'agent/policy.py', 'kinitro.json', 'weights.bin']);
      expect(snapshot.files.find((f) => f.path === 'weights.bin')?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(progress[0]?.phase).toBe('preparing');
      expect(progress.at(-1)).toEqual({ phase: 'done', bytesDone: result.bytes, bytesTotal: result.bytes, filesTotal: 4 });
      expect(progress.some((p) => p.phase === 'uploading' && p.file === 'weights.bin')).toBe(true);
    });

    it('makes the new revision exactly the directory: files gone from it are removed', async () => {
      const repo = repoName('reupload');
      const first = await client.uploadAgentDir(repo, await writeDir('reupload-1', agentFiles));
      const { 'weights.bin': _dropped, ...rest } = agentFiles;
      const second = await client.uploadAgentDir(repo, await writeDir('reupload-2', { ...rest, 'agent/policy.py': 'def act(obs):\n    return [1.0] * 4\n' }));

      expect(second.sha).not.toBe(first.sha);
      const paths = (await client.repoSnapshot(repo, second.sha)).files.map((f) => f.path);
      expect(paths).toEqual(['.gitattributes', 'agent/__init__.py', 'agent/policy.py', 'kinitro.json']);
      expect((await client.repoSnapshot(repo, first.sha)).files.map((f) => f.path)).toContain('weights.bin');
    });
  });

  describe('resolveRevision', () => {
    let repo: string;
    let sha: string;
    beforeAll(async () => {
      repo = repoName('resolve');
      sha = await hub.createRepo(repo, { 'kinitro.json': JSON.stringify(manifest) });
    });

    it('returns a full sha unchanged', async () => {
      await expect(client.resolveRevision(repo, sha)).resolves.toBe(sha);
    });

    it('resolves a unique short prefix to the full sha', async () => {
      await expect(client.resolveRevision(repo, sha.slice(0, 7))).resolves.toBe(sha);
    });

    it('answers an unknown repo with a not-found of the repo', async () => {
      await expect(client.resolveRevision(repoName('nope'), sha)).rejects.toMatchObject({ name: 'HubNotFoundError', what: 'repo', code: 'RepoNotFound' });
    });

    it('answers an unknown revision with a not-found of the revision', async () => {
      await expect(client.resolveRevision(repo, 'deadbee')).rejects.toMatchObject({ name: 'HubNotFoundError', what: 'revision', code: 'RevisionNotFound' });
    });

    it('answers an ambiguous prefix with a not-found of the revision', async () => {
      const ambiguous = repoName('ambiguous');
      await hub.createRepo(ambiguous, { a: '1' }, { sha: `abcdef1${'0'.repeat(33)}` });
      await hub.commit(ambiguous, { a: '2' }, { sha: `abcdef1${'1'.repeat(33)}` });
      await expect(client.resolveRevision(ambiguous, 'abcdef1')).rejects.toMatchObject({ name: 'HubNotFoundError', what: 'revision' });
      await expect(client.resolveRevision(ambiguous, 'abcdef11')).resolves.toBe(`abcdef1${'1'.repeat(33)}`);
    });

    it('does not take a branch named like a prefix for a commit', async () => {
      const branchy = repoName('branchy');
      await hub.createRepo(branchy, { a: '1' });
      await hub.commit(branchy, { a: '2' }, { branch: 'beefcafe' });
      await expect(client.resolveRevision(branchy, 'beefcafe')).rejects.toMatchObject({ name: 'HubNotFoundError', what: 'revision' });
    });

    it('refuses something that is not a sha prefix without asking the Hub', async () => {
      const before = hub.requests.length;
      await expect(client.resolveRevision(repo, 'main')).rejects.toBeInstanceOf(HubNotFoundError);
      expect(hub.requests.length).toBe(before);
    });
  });

  describe('repoSnapshot and readManifest', () => {
    it('lists every file with its size and totals the bytes, following Link pagination', async () => {
      const paged = await LocalHub.start({ pageSize: 2 });
      try {
        const repo = repoName('paged');
        const sha = await paged.createRepo(repo, agentFiles);
        const snapshot = await new HfHubAdapter({ hubUrl: paged.url }).repoSnapshot(repo, sha);

        expect(snapshot.files.map((f) => [f.path, f.size])).toEqual([
          ['agent/__init__.py', 0],
          ['agent/policy.py', Buffer.byteLength(agentFiles['agent/policy.py'])],
          ['kinitro.json', Buffer.byteLength(agentFiles['kinitro.json'])],
          ['weights.bin', weights.length],
        ]);
        expect(snapshot.totalBytes).toBe(agentBytes);
        expect(paged.requests.filter((r) => r.includes('/tree/')).length).toBeGreaterThan(1);
      } finally {
        await paged.close();
      }
    });

    it('reads and parses the manifest', async () => {
      const repo = repoName('manifest');
      const sha = await hub.createRepo(repo, agentFiles);
      await expect(client.readManifest(repo, sha)).resolves.toEqual({ ok: true, manifest });
    });

    it('reports an invalid manifest with the issues naming the fields', async () => {
      const repo = repoName('bad-manifest');
      const sha = await hub.createRepo(repo, { 'kinitro.json': JSON.stringify({ ...manifest, protocol: 'http' }) });
      await expect(client.readManifest(repo, sha)).resolves.toEqual({
        ok: false,
        issues: [expect.objectContaining({ field: 'protocol', reason: 'unsupported_protocol' })],
      });
    });

    it('answers a repo without a manifest with a not-found of the file', async () => {
      const repo = repoName('no-manifest');
      const sha = await hub.createRepo(repo, { 'README.md': '# agent' });
      await expect(client.readManifest(repo, sha)).rejects.toMatchObject({ name: 'HubNotFoundError', what: 'file', code: 'EntryNotFound' });
    });

    it('answers a sha the repo does not have with a not-found of the revision', async () => {
      const repo = repoName('snapshot-unknown');
      await hub.createRepo(repo, { a: '1' });
      await expect(client.repoSnapshot(repo, 'f'.repeat(40))).rejects.toMatchObject({ name: 'HubNotFoundError', what: 'revision' });
    });
  });

  describe('download', () => {
    let repo: string;
    let sha: string;
    beforeAll(async () => {
      repo = repoName('download');
      sha = await hub.createRepo(repo, agentFiles);
    });

    it('writes every file, byte for byte, in ranges of the configured size', async () => {
      const dest = join(work, 'dl-ok');
      const chunked = new HfHubAdapter({ hubUrl: hub.url, downloadChunkBytes: 1024 });
      const snapshot = await chunked.download(repo, sha, dest, { maxBytes: 1_000_000 });

      expect(await listTree(dest)).toEqual(Object.keys(agentFiles).sort());
      expect(await readFile(join(dest, 'weights.bin'))).toEqual(weights);
      expect(await readFile(join(dest, 'agent/policy.py'), 'utf8')).toBe(agentFiles['agent/policy.py']);
      expect(snapshot.sha).toBe(sha);
      expect(hub.requests.filter((r) => r.startsWith(`GET /${repo}/resolve/${sha}/weights.bin`)).length).toBeGreaterThan(5);
    });

    it('refuses a repo larger than the limit before downloading anything', async () => {
      const dest = join(work, 'dl-limit');
      const resolvesBefore = hub.requests.filter((r) => r.includes('/resolve/')).length;
      const error = await client.download(repo, sha, dest, { maxBytes: 1000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubLimitError);
      expect(error).toMatchObject({ limitBytes: 1000, actualBytes: agentBytes });
      expect(hub.requests.filter((r) => r.includes('/resolve/')).length).toBe(resolvesBefore);
      await expect(readdir(dest)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('rejects a regular file whose bytes differ from its git blob id and leaves nothing of it', async () => {
      const tampered = repoName('tampered-git');
      const tamperedSha = await hub.createRepo(tampered, agentFiles);
      hub.tamper(tampered, tamperedSha, 'agent/policy.py', agentFiles['agent/policy.py'].replace('0.0', '9.9'));
      const dest = join(work, 'dl-tampered-git');

      const error = await client.download(tampered, tamperedSha, dest, { maxBytes: 1_000_000, concurrency: 1 }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(HubIntegrityError);
      expect(error).toMatchObject({ path: 'agent/policy.py', expected: expect.stringMatching(/^git blob /) });
      expect(await listTree(dest)).not.toContain('agent/policy.py');
      expect((await listTree(dest)).some((p) => p.endsWith('.partial'))).toBe(false);
    });

    it('rejects an LFS file whose bytes differ from its sha256', async () => {
      const tampered = repoName('tampered-lfs');
      const tamperedSha = await hub.createRepo(tampered, agentFiles);
      hub.tamper(tampered, tamperedSha, 'weights.bin', Buffer.alloc(weights.length, 1));

      await expect(client.download(tampered, tamperedSha, join(work, 'dl-tampered-lfs'), { maxBytes: 1_000_000 })).rejects.toMatchObject({
        name: 'HubIntegrityError',
        path: 'weights.bin',
        expected: expect.stringMatching(/^sha256 /),
      });
    });

    it('rejects a file served with another size than listed', async () => {
      const tampered = repoName('tampered-size');
      const tamperedSha = await hub.createRepo(tampered, agentFiles);
      hub.tamper(tampered, tamperedSha, 'weights.bin', Buffer.concat([weights, Buffer.from('extra')]));

      await expect(client.download(tampered, tamperedSha, join(work, 'dl-tampered-size'), { maxBytes: 1_000_000 })).rejects.toMatchObject({
        name: 'HubIntegrityError',
        expected: `${weights.length} bytes`,
        actual: `${weights.length + 5} bytes`,
      });
    });
  });

  describe('when the Hub is down or slow', () => {
    let repo: string;
    let sha: string;
    beforeAll(async () => {
      repo = repoName('faults');
      sha = await hub.createRepo(repo, agentFiles);
    });

    it('a 503 is a retryable HubUnavailableError, not a not-found', async () => {
      hub.setFault({ kind: 'down' });
      for (const call of [() => client.resolveRevision(repo, sha.slice(0, 7)), () => client.repoSnapshot(repo, sha), () => client.readManifest(repo, sha)]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(HubUnavailableError);
        expect(error).toMatchObject({ retryable: true, status: 503 });
      }
    });

    it('a download interrupted by an outage is retryable', async () => {
      let fileRequests = 0;
      const failingMidway: typeof fetch = (input, init) => {
        // The listing and the first ranges go through; then the Hub goes down.
        if (String(input).includes('/resolve/') && ++fileRequests === 3) hub.setFault({ kind: 'down' });
        return fetch(input, init);
      };
      const downloader = new HfHubAdapter({ hubUrl: hub.url, downloadChunkBytes: 1024, fetch: failingMidway });
      await expect(downloader.download(repo, sha, join(work, 'dl-down'), { maxBytes: 1_000_000, concurrency: 1 })).rejects.toMatchObject({
        name: 'HubUnavailableError',
        status: 503,
      });
      expect(fileRequests).toBe(3);
    });

    it('an answer slower than the timeout is a HubUnavailableError', async () => {
      hub.setFault({ kind: 'slow', delayMs: 1000 });
      const impatient = new HfHubAdapter({ hubUrl: hub.url, requestTimeoutMs: 100 });
      await expect(impatient.resolveRevision(repo, sha)).rejects.toMatchObject({
        name: 'HubUnavailableError',
        message: expect.stringContaining('no answer within 100 ms'),
      });
    });

    it('a slow Hub within the timeout still answers', async () => {
      hub.setFault({ kind: 'slow', delayMs: 50 });
      await expect(client.resolveRevision(repo, sha)).resolves.toBe(sha);
    });

    it('a refused connection is a HubUnavailableError', async () => {
      const gone = await LocalHub.start();
      const url = gone.url;
      await gone.close();
      await expect(new HfHubAdapter({ hubUrl: url }).resolveRevision(repo, sha)).rejects.toMatchObject({ name: 'HubUnavailableError', retryable: true });
    });
  });
});
