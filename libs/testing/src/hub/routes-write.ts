import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { HttpError, readBody, readJson, sendJson } from './http.js';
import type { HubContext, RouteContext } from './routing.js';
import { HubStoreError, type CommitAddition } from './store.js';

/**
 * What `@huggingface/hub` calls to create a repo and commit to it: `createRepo`, then `preupload`, the LFS
 * batch (basic transfer only: this server never offers Xet), a PUT per LFS object, and the NDJSON commit.
 */

const MAX_COMMIT_BYTES = 512 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;

/** The Hub keeps large and binary files in LFS; binary is detected on the first 512 bytes the client samples. */
export const storesInLfs = (size: number, sample: Uint8Array, thresholdBytes: number): boolean => size >= thresholdBytes || sample.includes(0);

const DEFAULT_GITATTRIBUTES =
  ['*.bin', '*.onnx', '*.pt', '*.pth', '*.safetensors', '*.npz', '*.zip'].map((p) => `${p} filter=lfs diff=lfs merge=lfs -text`).join('\n') + '\n';

export const createRepo = async (ctx: Omit<RouteContext, 'repo'>): Promise<void> => {
  const body = await readJson(ctx.req, 1024 * 1024);
  const { name, organization, type } = body;
  if (typeof name !== 'string' || typeof organization !== 'string') throw new HttpError(400, 'name and organization are required');
  if (type !== undefined && type !== 'model') throw new HttpError(400, 'this local Hub only hosts model repos');
  const repo = `${organization}/${name}`;
  try {
    ctx.hub.store.createRepo(repo);
  } catch (error) {
    if (error instanceof HubStoreError && error.code === 'RepoExists') {
      sendJson(ctx.res, 409, { error: error.message, url: `${ctx.origin}/${repo}` });
      return;
    }
    throw error;
  }
  // Like the Hub, a new repo starts with a commit holding the default .gitattributes.
  ctx.hub.store.commit(repo, {
    title: 'initial commit',
    branch: 'main',
    additions: [{ path: '.gitattributes', content: Buffer.from(DEFAULT_GITATTRIBUTES), lfs: false }],
    deletions: [],
  });
  sendJson(ctx.res, 200, { url: `${ctx.origin}/${repo}`, name: repo, id: randomBytes(12).toString('hex') });
};

export const preupload = async (ctx: RouteContext): Promise<void> => {
  const body = await readJson(ctx.req, 16 * 1024 * 1024);
  const files = Array.isArray(body['files']) ? (body['files'] as { path?: unknown; size?: unknown; sample?: unknown }[]) : [];
  const head = ctx.hub.store.refs(ctx.repo)['main'] ?? null;
  sendJson(ctx.res, 200, {
    commitOid: head,
    files: files.map((f) => {
      if (typeof f.path !== 'string' || typeof f.size !== 'number') throw new HttpError(400, 'each file needs a path and a size');
      const sample = Buffer.from(typeof f.sample === 'string' ? f.sample : '', 'base64');
      return { path: f.path, uploadMode: storesInLfs(f.size, sample, ctx.hub.lfsThresholdBytes) ? 'lfs' : 'regular', shouldIgnore: false };
    }),
  });
};

export const lfsBatch = async (ctx: RouteContext): Promise<void> => {
  const body = await readJson(ctx.req, 16 * 1024 * 1024);
  if (body['operation'] !== 'upload') throw new HttpError(422, 'only the upload operation is supported');
  const objects = Array.isArray(body['objects']) ? (body['objects'] as { oid?: unknown; size?: unknown }[]) : [];
  const answer = objects.map(({ oid, size }) => {
    if (typeof oid !== 'string' || !SHA256.test(oid) || typeof size !== 'number') throw new HttpError(422, 'objects need a sha256 oid and a size');
    if (ctx.hub.store.hasObject(ctx.repo, oid)) return { oid, size };
    const href = `${ctx.origin}/lfs-upload/${ctx.repo}/${oid}?size=${size}`;
    return { oid, size, authenticated: true, actions: { upload: { href } } };
  });
  sendJson(ctx.res, 200, { transfer: 'basic', objects: answer }, { 'Content-Type': 'application/vnd.git-lfs+json' });
};

/** Streams an LFS object to disk and keeps it only if its sha256 and size are what the batch announced. */
export const lfsUpload = async (ctx: RouteContext, oid: string): Promise<void> => {
  const expectedSize = Number(ctx.url.searchParams.get('size'));
  if (!SHA256.test(oid) || !Number.isInteger(expectedSize)) throw new HttpError(400, 'bad upload url');
  const temp = ctx.hub.store.tempObjectPath(ctx.repo);
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(ctx.req, measure, createWriteStream(temp));
    const actual = hash.digest('hex');
    if (actual !== oid || size !== expectedSize)
      throw new HttpError(400, `uploaded content has sha256 ${actual} and ${size} bytes, expected ${oid} and ${expectedSize}`);
    ctx.hub.store.adoptObject(ctx.repo, oid, temp);
  } finally {
    rmSync(temp, { force: true });
  }
  ctx.res.writeHead(200, { ETag: `"${oid}"` });
  ctx.res.end();
};

type NdjsonLine = { key: string; value: Record<string, unknown> };

const additionOf = (line: NdjsonLine, hub: HubContext): CommitAddition => {
  const { path } = line.value;
  if (typeof path !== 'string') throw new HttpError(400, `${line.key} needs a path`);
  if (line.key === 'lfsFile') {
    const { oid, size } = line.value;
    if (typeof oid !== 'string' || typeof size !== 'number') throw new HttpError(400, `lfsFile ${path} needs an oid and a size`);
    return { path, lfsSha256: oid, size };
  }
  const content = Buffer.from(String(line.value['content'] ?? ''), line.value['encoding'] === 'base64' ? 'base64' : 'utf8');
  return { path, content, lfs: storesInLfs(content.length, content.subarray(0, 512), hub.lfsThresholdBytes) };
};

const parseLine = (line: string): NdjsonLine => {
  try {
    const parsed = JSON.parse(line) as Partial<NdjsonLine>;
    if (typeof parsed.key === 'string' && typeof parsed.value === 'object' && parsed.value !== null) return parsed as NdjsonLine;
  } catch {
    // answered below
  }
  throw new HttpError(400, `not a commit operation: ${line.slice(0, 80)}`);
};

export const commit = async (ctx: RouteContext, branch: string): Promise<void> => {
  if (ctx.url.searchParams.has('create_pr')) throw new HttpError(400, 'pull requests are not supported by the local Hub');
  const lines = (await readBody(ctx.req, MAX_COMMIT_BYTES))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(parseLine);
  const header = lines.find((l) => l.key === 'header')?.value ?? {};
  const additions = lines.filter((l) => l.key === 'file' || l.key === 'lfsFile').map((l) => additionOf(l, ctx.hub));
  const deletions = lines.filter((l) => l.key === 'deletedFile' || l.key === 'deletedFolder').map((l) => String(l.value['path']));
  try {
    const sha = ctx.hub.store.commit(ctx.repo, {
      title: typeof header['summary'] === 'string' ? header['summary'] : 'commit',
      branch,
      additions,
      deletions,
      ...(typeof header['parentCommit'] === 'string' && { expectedParent: header['parentCommit'] }),
    });
    sendJson(ctx.res, 200, { success: true, commitOid: sha, commitUrl: `${ctx.origin}/${ctx.repo}/commit/${sha}`, hookOutput: '' });
  } catch (error) {
    if (!(error instanceof HubStoreError)) throw error;
    const status = { LfsObjectMissing: 422, ParentMismatch: 412, BadPath: 400, RepoExists: 409, RepoNotFound: 404 }[error.code];
    throw new HttpError(status, error.message, error.code === 'RepoNotFound' ? 'RepoNotFound' : undefined);
  }
};
