import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { commit, createRepo, fileDownloadInfo, listFiles, modelInfo, pathsInfo } from '@huggingface/hub';
import { LocalHub } from './local-hub.js';

const TOKEN = 'hf_write';
let hub: LocalHub;
let sha: string;
const repo = 'acme/agent';
const big = Buffer.alloc(3000, 7);

beforeAll(async () => {
  hub = await LocalHub.start({ tokens: [TOKEN], lfsThresholdBytes: 2048 });
  sha = await hub.createRepo(repo, { 'kinitro.json': '{"name":"a"}', 'data/big.dat': big, 'data/small.txt': 'hello' });
});

afterAll(() => hub.close());

describe('local Hub', () => {
  it('answers model info at a revision with its sha and files', async () => {
    const info = await modelInfo({ name: repo, hubUrl: hub.url, revision: sha.slice(0, 8), additionalFields: ['sha', 'filePaths'] });
    expect(info).toMatchObject({ name: repo, sha, filePaths: ['data/big.dat', 'data/small.txt', 'kinitro.json'] });
  });

  it('lists the entries of a folder and gives LFS details in paths-info', async () => {
    const top: string[] = [];
    for await (const e of listFiles({ repo, hubUrl: hub.url, revision: sha })) top.push(`${e.type}:${e.path}`);
    expect(top).toEqual(['directory:data', 'file:kinitro.json']);
    const [info] = await pathsInfo({ repo, hubUrl: hub.url, revision: sha, paths: ['data/big.dat', 'missing'] });
    expect(info).toMatchObject({ path: 'data/big.dat', size: 3000, lfs: { oid: createHash('sha256').update(big).digest('hex'), size: 3000 } });
  });

  it('serves byte ranges with 206 and refuses ranges past the end with 416', async () => {
    const partial = await fetch(`${hub.url}/${repo}/resolve/${sha}/data/small.txt`, { headers: { Range: 'bytes=1-3' } });
    expect([partial.status, partial.headers.get('content-range'), await partial.text()]).toEqual([206, 'bytes 1-3/5', 'ell']);
    const beyond = await fetch(`${hub.url}/${repo}/resolve/${sha}/data/small.txt`, { headers: { Range: 'bytes=9-' } });
    expect(beyond.status).toBe(416);
  });

  it('gives the download probe its size and ETag, never as Xet', async () => {
    const info = await fileDownloadInfo({ repo, path: 'data/big.dat', revision: sha, hubUrl: hub.url });
    expect(info).toMatchObject({ size: 3000, etag: `"${createHash('sha256').update(big).digest('hex')}"` });
    expect(info?.xet).toBeUndefined();
  });

  it.each([
    ['an unknown repo', `/api/models/acme/nothing/revision/main`, 'RepoNotFound'],
    ['an unknown revision', `/api/models/${repo}/revision/0123456789`, 'RevisionNotFound'],
    ['an unknown file', `/${repo}/resolve/main/nothing.txt`, 'EntryNotFound'],
    ['an unknown folder', `/api/models/${repo}/tree/main/nothing`, 'EntryNotFound'],
  ])('answers %s with 404 and the Hub error code', async (_what, path, code) => {
    const res = await fetch(`${hub.url}${path}`);
    expect([res.status, res.headers.get('x-error-code')]).toEqual([404, code]);
  });

  it('takes commits from the real client through preupload, LFS basic transfer and NDJSON', async () => {
    const target = 'acme/uploaded';
    await createRepo({ repo: target, hubUrl: hub.url, accessToken: TOKEN });
    const output = await commit({
      repo: target,
      hubUrl: hub.url,
      accessToken: TOKEN,
      title: 'add files',
      operations: [
        { operation: 'addOrUpdate', path: 'big.dat', content: new Blob([big]) },
        { operation: 'addOrUpdate', path: 'small.txt', content: new Blob(['hi']) },
      ],
    });
    expect(output?.commit.oid).toBe(hub.head(target));
    expect(Object.keys(hub.store.commitAt(target, output!.commit.oid).files).sort()).toEqual(['.gitattributes', 'big.dat', 'small.txt']);
    expect(hub.store.commitAt(target, output!.commit.oid).files['big.dat']).toMatchObject({ lfs: true, size: 3000 });
  });

  it('offers only the basic LFS transfer and skips objects it already has', async () => {
    const oid = createHash('sha256').update(big).digest('hex');
    const res = await fetch(`${hub.url}/${repo}.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({
        operation: 'upload',
        transfers: ['basic', 'multipart', 'xet'],
        objects: [
          { oid, size: 3000 },
          { oid: 'a'.repeat(64), size: 1 },
        ],
      }),
    });
    expect(res.headers.get('content-type')).toBe('application/vnd.git-lfs+json');
    const body = (await res.json()) as { transfer: string; objects: { oid: string; actions?: unknown }[] };
    expect(body.transfer).toBe('basic');
    expect(body.objects.map((o) => [o.oid, o.actions !== undefined])).toEqual([
      [oid, false],
      ['a'.repeat(64), true],
    ]);
  });

  it('refuses writes without a valid token', async () => {
    await expect(createRepo({ repo: 'acme/denied', hubUrl: hub.url, accessToken: 'hf_other' })).rejects.toMatchObject({ statusCode: 401 });
  });

  it('refuses a commit whose parent is no longer the head', async () => {
    const res = await fetch(`${hub.url}/api/models/${repo}/commit/main`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-ndjson' },
      body: [
        { key: 'header', value: { summary: 'x', parentCommit: 'f'.repeat(40) } },
        { key: 'file', value: { path: 'x', content: 'eA==', encoding: 'base64' } },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    });
    expect(res.status).toBe(412);
    expect(hub.head(repo)).toBe(sha);
  });

  it('can be taken down and brought back', async () => {
    hub.setFault({ kind: 'down' });
    expect((await fetch(`${hub.url}/api/models/${repo}/revision/main`)).status).toBe(503);
    hub.setFault({ kind: 'none' });
    expect((await fetch(`${hub.url}/api/models/${repo}/revision/main`)).status).toBe(200);
  });
});
