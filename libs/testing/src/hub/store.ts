import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitBlobOid, lfsPointer, sha256Hex } from './git-objects.js';

/**
 * The local Hub's model repos on disk. Metadata is read and written synchronously so that each commit is atomic
 * with respect to the other requests the single-threaded server is handling.
 *
 *   ROOT/<owner>/<name>/refs.json          {"main": "<sha>"}
 *   ROOT/<owner>/<name>/commits/<sha>.json StoredCommit
 *   ROOT/<owner>/<name>/objects/<sha256>   file contents, addressed by their sha256
 *
 * A commit records each file's size and checksums; the bytes served come from `objects/`, so a test can tamper
 * with them and check that a download notices.
 */

export interface StoredFile {
  size: number;
  /** Git blob id: of the content for a regular file, of the LFS pointer for an LFS file. */
  gitOid: string;
  sha256: string;
  lfs: boolean;
}

export interface StoredCommit {
  sha: string;
  parent: string | null;
  title: string;
  files: Record<string, StoredFile>;
}

export type CommitAddition = { path: string; content: Uint8Array; lfs: boolean } | { path: string; lfsSha256: string; size: number };

export interface CommitRequest {
  title: string;
  branch: string;
  additions: CommitAddition[];
  deletions: string[];
  /** When given, the commit only applies if the branch head is still this commit. */
  expectedParent?: string;
  /** Test knob: force the commit id (to build two commits that share a prefix). */
  sha?: string;
}

export type Resolution = { ok: true; sha: string } | { ok: false; reason: 'unknown' | 'ambiguous' };

export class HubStoreError extends Error {
  override readonly name = 'HubStoreError';
  constructor(
    readonly code: 'RepoNotFound' | 'RepoExists' | 'BadPath' | 'LfsObjectMissing' | 'ParentMismatch',
    message: string,
  ) {
    super(message);
  }
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const FULL_SHA = /^[0-9a-f]{40}$/;
/** git refuses to resolve abbreviations shorter than four hex digits. */
const SHA_PREFIX = /^[0-9a-f]{4,40}$/;

export const parseRepoId = (repo: string): { owner: string; name: string } => {
  const [owner, name, ...rest] = repo.split('/');
  if (!owner || !name || rest.length > 0 || !SEGMENT.test(owner) || !SEGMENT.test(name) || name.endsWith('.git')) {
    throw new HubStoreError('BadPath', `not a repo id: ${repo}`);
  }
  return { owner, name };
};

export const isSafeRepoPath = (path: string): boolean =>
  path.length > 0 && path.length <= 1024 && !path.startsWith('/') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..') && !path.includes('\0');

export class HubStore {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  private dir(repo: string): string {
    const { owner, name } = parseRepoId(repo);
    return join(this.root, owner, name);
  }

  private existing(repo: string): string {
    const dir = this.dir(repo);
    if (!existsSync(join(dir, 'refs.json'))) throw new HubStoreError('RepoNotFound', `Repository not found: ${repo}`);
    return dir;
  }

  exists(repo: string): boolean {
    return existsSync(join(this.dir(repo), 'refs.json'));
  }

  createRepo(repo: string): void {
    const dir = this.dir(repo);
    if (existsSync(join(dir, 'refs.json'))) throw new HubStoreError('RepoExists', `You already created this model repo: ${repo}`);
    mkdirSync(join(dir, 'commits'), { recursive: true });
    mkdirSync(join(dir, 'objects'), { recursive: true });
    writeFileSync(join(dir, 'refs.json'), '{}');
  }

  refs(repo: string): Record<string, string> {
    return JSON.parse(readFileSync(join(this.existing(repo), 'refs.json'), 'utf8')) as Record<string, string>;
  }

  /** Like git: `HEAD` is main, then branch names, then a commit id or an unambiguous prefix of one. */
  resolve(repo: string, revision: string): Resolution {
    const dir = this.existing(repo);
    const refs = this.refs(repo);
    const ref = refs[revision === 'HEAD' ? 'main' : revision];
    if (ref) return { ok: true, sha: ref };
    if (!SHA_PREFIX.test(revision)) return { ok: false, reason: 'unknown' };
    if (FULL_SHA.test(revision)) return existsSync(join(dir, 'commits', `${revision}.json`)) ? { ok: true, sha: revision } : { ok: false, reason: 'unknown' };
    const matches = readdirSync(join(dir, 'commits'))
      .filter((f) => f.startsWith(revision))
      .map((f) => f.slice(0, 40));
    if (matches.length === 1) return { ok: true, sha: matches[0]! };
    return { ok: false, reason: matches.length === 0 ? 'unknown' : 'ambiguous' };
  }

  commitAt(repo: string, sha: string): StoredCommit {
    return JSON.parse(readFileSync(join(this.existing(repo), 'commits', `${sha}.json`), 'utf8')) as StoredCommit;
  }

  objectPath(repo: string, sha256: string): string {
    return join(this.existing(repo), 'objects', sha256);
  }

  hasObject(repo: string, sha256: string): boolean {
    return existsSync(this.objectPath(repo, sha256));
  }

  /** Stores content under its sha256; returns it. */
  putObject(repo: string, content: Uint8Array): string {
    const sha256 = sha256Hex(content);
    const path = this.objectPath(repo, sha256);
    if (!existsSync(path)) writeFileSync(path, content);
    return sha256;
  }

  /** Where an upload is written before it is verified and adopted. */
  tempObjectPath(repo: string): string {
    return join(this.existing(repo), 'objects', `.upload-${randomBytes(6).toString('hex')}`);
  }

  /** Moves a fully written and verified file into the object store. */
  adoptObject(repo: string, sha256: string, tempPath: string): void {
    renameSync(tempPath, this.objectPath(repo, sha256));
  }

  objectSize(repo: string, sha256: string): number {
    return statSync(this.objectPath(repo, sha256)).size;
  }

  /** Replaces the bytes a file is served with, leaving the recorded size and checksums alone. */
  tamper(repo: string, sha256: string, content: Uint8Array): void {
    writeFileSync(this.objectPath(repo, sha256), content);
  }

  commit(repo: string, request: CommitRequest): string {
    const dir = this.existing(repo);
    const refs = this.refs(repo);
    const parent = refs[request.branch] ?? null;
    if (request.expectedParent !== undefined && request.expectedParent !== parent) {
      throw new HubStoreError('ParentMismatch', `${request.branch} is at ${parent}, not ${request.expectedParent}`);
    }
    const files: Record<string, StoredFile> = { ...(parent ? this.commitAt(repo, parent).files : {}) };
    for (const path of request.deletions) {
      for (const existing of Object.keys(files)) if (existing === path || existing.startsWith(`${path}/`)) delete files[existing];
    }
    for (const addition of request.additions) {
      if (!isSafeRepoPath(addition.path)) throw new HubStoreError('BadPath', `invalid path: ${addition.path}`);
      files[addition.path] = this.fileRecord(repo, addition);
    }
    const sha =
      request.sha ??
      createHash('sha1')
        .update(JSON.stringify({ parent, title: request.title, files, n: readdirSync(join(dir, 'commits')).length, at: process.hrtime.bigint().toString() }))
        .digest('hex');
    const commit: StoredCommit = { sha, parent, title: request.title, files };
    writeFileSync(join(dir, 'commits', `${sha}.json`), JSON.stringify(commit));
    writeFileSync(join(dir, 'refs.json'), JSON.stringify({ ...refs, [request.branch]: sha }));
    return sha;
  }

  private fileRecord(repo: string, addition: CommitAddition): StoredFile {
    if ('content' in addition) {
      const sha256 = this.putObject(repo, addition.content);
      const size = addition.content.length;
      return { size, sha256, lfs: addition.lfs, gitOid: gitBlobOid(addition.lfs ? lfsPointer(sha256, size) : addition.content) };
    }
    if (!this.hasObject(repo, addition.lfsSha256) || this.objectSize(repo, addition.lfsSha256) !== addition.size) {
      throw new HubStoreError('LfsObjectMissing', `LFS object ${addition.lfsSha256} for ${addition.path} was not uploaded`);
    }
    return { size: addition.size, sha256: addition.lfsSha256, lfs: true, gitOid: gitBlobOid(lfsPointer(addition.lfsSha256, addition.size)) };
  }
}
