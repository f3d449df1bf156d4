import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { HttpError, readJson, sendJson } from './http.js';
import type { RouteContext } from './routing.js';
import type { StoredCommit, StoredFile } from './store.js';

/** What the download endpoints answer: the model info at a revision, the tree, paths-info and resolve. */

const EPOCH = new Date(0).toISOString();

type Entry = { type: 'file'; path: string; file: StoredFile } | { type: 'directory'; path: string };

const entries = (commit: StoredCommit): Entry[] => {
  const directories = new Set<string>();
  for (const path of Object.keys(commit.files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) directories.add(parts.slice(0, i).join('/'));
  }
  return [
    ...[...directories].map((path) => ({ type: 'directory' as const, path })),
    ...Object.entries(commit.files).map(([path, file]) => ({ type: 'file' as const, path, file })),
  ].sort((a, b) => a.path.localeCompare(b.path));
};

const entryJson = (entry: Entry, commit: StoredCommit, expand: boolean) => {
  const lastCommit = expand ? { lastCommit: { id: commit.sha, title: commit.title, date: EPOCH } } : {};
  if (entry.type === 'directory') {
    const oid = createHash('sha1').update(`${commit.sha}:${entry.path}`).digest('hex');
    return { type: 'directory', oid, size: 0, path: entry.path, ...lastCommit };
  }
  const { file } = entry;
  return {
    type: 'file',
    oid: file.gitOid,
    size: file.size,
    path: entry.path,
    ...(file.lfs && { lfs: { oid: file.sha256, size: file.size, pointerSize: 134 } }),
    ...lastCommit,
  };
};

/** Resolves the revision in the route or answers the Hub's 404 with `RevisionNotFound`. */
export const commitAt = (ctx: RouteContext, revision: string): StoredCommit => {
  const resolution = ctx.hub.store.resolve(ctx.repo, revision);
  if (!resolution.ok) {
    const why = resolution.reason === 'ambiguous' ? 'is ambiguous' : 'does not exist';
    throw new HttpError(404, `Invalid rev id: ${revision} ${why} in ${ctx.repo}`, 'RevisionNotFound');
  }
  return ctx.hub.store.commitAt(ctx.repo, resolution.sha);
};

export const modelInfo = (ctx: RouteContext, revision: string): void => {
  const commit = commitAt(ctx, revision);
  const id = createHash('md5').update(ctx.repo).digest('hex').slice(0, 24);
  sendJson(ctx.res, 200, {
    _id: id,
    id: ctx.repo,
    modelId: ctx.repo,
    author: ctx.repo.split('/')[0],
    sha: commit.sha,
    private: false,
    gated: false,
    disabled: false,
    downloads: 0,
    likes: 0,
    tags: [],
    pipeline_tag: null,
    library_name: null,
    lastModified: EPOCH,
    createdAt: EPOCH,
    siblings: Object.keys(commit.files)
      .sort()
      .map((rfilename) => ({ rfilename })),
  });
};

export const tree = (ctx: RouteContext, revision: string, under: string | undefined): void => {
  const commit = commitAt(ctx, revision);
  const recursive = ctx.url.searchParams.get('recursive') === 'true';
  const expand = ctx.url.searchParams.get('expand') === 'true';
  const all = entries(commit);
  const prefix = under ? `${under}/` : '';
  if (under && !all.some((e) => e.type === 'directory' && e.path === under)) {
    throw new HttpError(404, `${under} does not exist on ${commit.sha}`, 'EntryNotFound');
  }
  const listed = all.filter((e) => e.path.startsWith(prefix) && (recursive || !e.path.slice(prefix.length).includes('/')));
  const cursor = Number(ctx.url.searchParams.get('cursor') ?? '0');
  const page = listed.slice(cursor, cursor + ctx.hub.pageSize);
  const headers: Record<string, string> = {};
  if (cursor + ctx.hub.pageSize < listed.length) {
    const next = new URL(ctx.url.pathname + ctx.url.search, ctx.origin);
    next.searchParams.set('cursor', String(cursor + ctx.hub.pageSize));
    headers['Link'] = `<${next.href}>; rel="next"`;
  }
  sendJson(
    ctx.res,
    200,
    page.map((e) => entryJson(e, commit, expand)),
    headers,
  );
};

export const pathsInfo = async (ctx: RouteContext, revision: string): Promise<void> => {
  const commit = commitAt(ctx, revision);
  const body = await readJson(ctx.req, 1024 * 1024);
  const paths = Array.isArray(body['paths']) ? body['paths'].filter((p): p is string => typeof p === 'string') : [];
  const byPath = new Map(entries(commit).map((e) => [e.path, e]));
  const found = paths.flatMap((p) => {
    const entry = byPath.get(p);
    return entry ? [entryJson(entry, commit, body['expand'] === true)] : [];
  });
  sendJson(ctx.res, 200, found);
};

/** `GET|HEAD /<repo>/resolve/<rev>/<path>`, honouring a single `Range: bytes=a-b`. */
export const resolveFile = (ctx: RouteContext, revision: string, path: string): void => {
  const commit = commitAt(ctx, revision);
  const file = commit.files[path];
  if (!file) throw new HttpError(404, `Entry not found: ${path} on ${commit.sha}`, 'EntryNotFound');
  const objectPath = ctx.hub.store.objectPath(ctx.repo, file.sha256);
  const size = statSync(objectPath).size;
  const etag = `"${file.lfs ? file.sha256 : file.gitOid}"`;
  const headers: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'X-Repo-Commit': commit.sha,
    ...(file.lfs && { 'X-Linked-ETag': etag, 'X-Linked-Size': String(size) }),
  };
  const { res } = ctx;
  const range = ctx.req.headers.range?.match(/^bytes=(\d+)-(\d*)$/);
  let start = 0;
  let end = size - 1;
  if (range) {
    start = Number(range[1]);
    end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size || end < start) {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` });
      res.end();
      return;
    }
    res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1) });
  } else {
    res.writeHead(200, { ...headers, 'Content-Length': String(size) });
  }
  if (ctx.req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  createReadStream(objectPath, { start, end }).pipe(res);
};
