import { openAsBlob } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { commitIter, createRepo, downloadFile, HubApiError, listFiles, modelInfo, type CommitOperation, type RepoId } from '@huggingface/hub';
import { AGENT_MANIFEST_FILE, AGENT_MANIFEST_MAX_BYTES, parseAgentManifest, type ManifestParseResult } from '#domain';
import { checksumFor } from './checksums.js';
import { HubAuthError, HubIntegrityError, HubLimitError, HubNotFoundError, HubUnavailableError } from './errors.js';
import { asHubError, createHubFetch } from './hub-fetch.js';
import { destinationOf, listAgentFiles } from './local-files.js';
import type { DownloadOptions, HubPort, RepoFile, RepoSnapshot, UploadOptions, UploadResult } from './port.js';
import { formatBytes } from './format-bytes.js';
import { UploadProgressTracker } from './upload-progress.js';

export interface HfHubAdapterOptions {
  /** HF_ENDPOINT; the public Hub when omitted. */
  hubUrl?: string;
  /** HF_TOKEN (starts with `hf_`); needed to upload and to read private or gated repos. */
  token?: string;
  /** How long to wait for a response to start before calling the Hub unavailable; 30 s by default. */
  requestTimeoutMs?: number;
  /** Downloads read files in ranges of this size, so memory stays bounded whatever the file size; 8 MiB by default. */
  downloadChunkBytes?: number;
  /** Transport under the timeout and error mapping (tests, proxies). */
  fetch?: typeof fetch;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
/** As committed on chain: see SubmissionReceived.revision in #contracts. */
const SHA_PREFIX = /^[0-9a-f]{7,40}$/;
const PUBLIC_HUB = 'https://huggingface.co';

const model = (repo: string): RepoId => ({ type: 'model', name: repo });

const requireSha = (sha: string): void => {
  if (!FULL_SHA.test(sha)) throw new TypeError(`expected a full 40-hex commit sha, got "${sha}"`);
};

/** HubPort over the official `@huggingface/hub` client. */
export class HfHubAdapter implements HubPort {
  private readonly hubUrl: string;
  private readonly token: string | undefined;
  private readonly fetch: typeof fetch;
  private readonly chunkBytes: number;

  constructor(options: HfHubAdapterOptions = {}) {
    if (options.token !== undefined && !options.token.startsWith('hf_')) throw new TypeError('a Hugging Face token starts with "hf_"');
    this.hubUrl = (options.hubUrl ?? PUBLIC_HUB).replace(/\/+$/, '');
    this.token = options.token;
    this.fetch = createHubFetch({ timeoutMs: options.requestTimeoutMs ?? 30_000, ...(options.fetch && { fetch: options.fetch }) });
    this.chunkBytes = options.downloadChunkBytes ?? 8 * 1024 * 1024;
  }

  private get common() {
    return { hubUrl: this.hubUrl, fetch: this.fetch, ...(this.token && { accessToken: this.token }) };
  }

  private async call<T>(doing: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw asHubError(error, doing);
    }
  }

  async resolveRevision(repo: string, revisionOrPrefix: string): Promise<string> {
    if (!SHA_PREFIX.test(revisionOrPrefix)) {
      throw new HubNotFoundError('revision', `"${revisionOrPrefix}" is not a commit sha or a prefix of one (7 to 40 lowercase hex digits)`);
    }
    // The Hub resolves a unique prefix itself and answers RevisionNotFound for an unknown or ambiguous one.
    const info = await this.call(`resolving ${repo}@${revisionOrPrefix}`, () =>
      modelInfo({ name: repo, revision: revisionOrPrefix, additionalFields: ['sha'], ...this.common }),
    );
    // A branch or tag may be named like a prefix; only a commit whose id starts with it counts.
    if (typeof info.sha !== 'string' || !info.sha.startsWith(revisionOrPrefix)) {
      throw new HubNotFoundError('revision', `${revisionOrPrefix} in ${repo} names a branch or tag (at ${info.sha}), not a commit`);
    }
    return info.sha;
  }

  async repoSnapshot(repo: string, sha: string): Promise<RepoSnapshot> {
    requireSha(sha);
    const files = await this.call(`listing ${repo}@${sha}`, async () => {
      const listed: RepoFile[] = [];
      for await (const entry of listFiles({ repo: model(repo), revision: sha, recursive: true, ...this.common })) {
        if (entry.type !== 'file') continue;
        listed.push({ path: entry.path, size: entry.size, gitOid: entry.oid ?? '', ...(entry.lfs && { sha256: entry.lfs.oid }) });
      }
      return listed;
    });
    return { repo, sha, files, totalBytes: files.reduce((sum, f) => sum + f.size, 0) };
  }

  async readManifest(repo: string, sha: string): Promise<ManifestParseResult> {
    requireSha(sha);
    return this.call(`reading ${AGENT_MANIFEST_FILE} of ${repo}@${sha}`, async () => {
      const blob = await downloadFile({ repo: model(repo), path: AGENT_MANIFEST_FILE, revision: sha, ...this.common });
      if (!blob) throw new HubNotFoundError('file', `${repo}@${sha} has no ${AGENT_MANIFEST_FILE}`);
      if (blob.size > AGENT_MANIFEST_MAX_BYTES) {
        throw new HubLimitError(
          `${AGENT_MANIFEST_FILE} is ${formatBytes(blob.size)}, more than ${formatBytes(AGENT_MANIFEST_MAX_BYTES)}`,
          AGENT_MANIFEST_MAX_BYTES,
          blob.size,
        );
      }
      return parseAgentManifest(await blob.text());
    });
  }

  async download(repo: string, sha: string, destDir: string, options: DownloadOptions): Promise<RepoSnapshot> {
    const snapshot = await this.repoSnapshot(repo, sha);
    if (snapshot.totalBytes > options.maxBytes) {
      throw new HubLimitError(
        `${repo}@${sha} holds ${formatBytes(snapshot.totalBytes)}, more than the limit of ${formatBytes(options.maxBytes)}`,
        options.maxBytes,
        snapshot.totalBytes,
      );
    }
    await mkdir(destDir, { recursive: true });
    await inPool(snapshot.files, options.concurrency ?? 4, (file) => this.downloadFileTo(repo, sha, file, destDir));
    return snapshot;
  }

  /** Writes `<path>.partial`, renamed into place only once size and checksum match the listing. */
  private async downloadFileTo(repo: string, sha: string, file: RepoFile, destDir: string): Promise<void> {
    const target = destinationOf(destDir, file.path);
    const partial = `${target}.partial`;
    await mkdir(dirname(target), { recursive: true });
    try {
      const out = await open(partial, 'w');
      try {
        const checksum = checksumFor(file);
        for await (const chunk of this.fileChunks(repo, sha, file)) {
          checksum.update(chunk);
          await out.write(chunk);
        }
        const actual = checksum.digest();
        if (actual !== checksum.expected) throw new HubIntegrityError(file.path, checksum.expected, actual);
      } finally {
        await out.close();
      }
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** The file's bytes in ranges, never more than the listing says it holds. */
  private async *fileChunks(repo: string, sha: string, file: RepoFile): AsyncGenerator<Uint8Array> {
    if (file.size === 0) return;
    const doing = `downloading ${file.path} of ${repo}@${sha}`;
    const blob = await this.call(doing, () => downloadFile({ repo: model(repo), path: file.path, revision: sha, ...this.common }));
    if (!blob) throw new HubNotFoundError('file', `${file.path} is listed in ${repo}@${sha} but cannot be downloaded`);
    if (blob.size !== file.size) throw new HubIntegrityError(file.path, `${file.size} bytes`, `${blob.size} bytes`);
    for (let offset = 0; offset < file.size; offset += this.chunkBytes) {
      const end = Math.min(file.size, offset + this.chunkBytes);
      const chunk = new Uint8Array(await this.call(doing, () => blob.slice(offset, end).arrayBuffer()));
      if (chunk.length !== end - offset) throw new HubIntegrityError(file.path, `${end - offset} bytes at offset ${offset}`, `${chunk.length} bytes`);
      yield chunk;
    }
  }

  async uploadAgentDir(repo: string, dir: string, options: UploadOptions = {}): Promise<UploadResult> {
    if (!this.token) throw new HubAuthError('uploading needs a Hugging Face token with write access (HF_TOKEN)', undefined);
    const files = await listAgentFiles(dir);
    if (files.length === 0) throw new Error(`${dir} has no files to upload`);
    const tracker = new UploadProgressTracker(files, options.onProgress ?? (() => undefined));
    tracker.start();

    const remote = await this.remoteFilesCreatingRepo(repo, this.token);
    const local = new Set(files.map((f) => f.path));
    // The new revision must be exactly the directory: files left over from an earlier upload are removed.
    // .gitattributes is the Hub's own bookkeeping of which paths are LFS.
    const operations: CommitOperation[] = [
      ...(await Promise.all(files.map(async (f) => ({ operation: 'addOrUpdate' as const, path: f.path, content: await openAsBlob(f.absolutePath) })))),
      ...remote.filter((p) => !local.has(p) && p !== '.gitattributes').map((path) => ({ operation: 'delete' as const, path })),
    ];

    const output = await this.call(`uploading ${dir} to ${repo}`, async () => {
      const failed: string[] = [];
      const steps = commitIter({
        repo: model(repo),
        operations,
        title: options.commitMessage ?? `Upload agent (${files.length} files)`,
        ...this.common,
        accessToken: this.token!,
      });
      for (let step = await steps.next(); ; step = await steps.next()) {
        if (step.done) {
          if (failed.length > 0) throw new HubUnavailableError(`the Hub did not take ${failed.join(', ')}`);
          return step.value;
        }
        if (step.value.event === 'fileProgress' && step.value.state === 'error') failed.push(step.value.path);
        tracker.onEvent(step.value);
      }
    });
    if (!output) throw new Error(`the Hub answered the commit to ${repo} without a commit id`);
    tracker.finish();
    return { repo, sha: output.commit.oid, files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) };
  }

  /** The paths on main, after creating the repo if it does not exist yet. */
  private async remoteFilesCreatingRepo(repo: string, accessToken: string): Promise<string[]> {
    try {
      const paths: string[] = [];
      for await (const entry of listFiles({ repo: model(repo), revision: 'main', recursive: true, ...this.common })) {
        if (entry.type === 'file') paths.push(entry.path);
      }
      return paths;
    } catch (error) {
      const failure = asHubError(error, `listing ${repo}`);
      if (failure instanceof HubNotFoundError && failure.what === 'revision') return [];
      if (!(failure instanceof HubNotFoundError && failure.what === 'repo')) throw failure;
    }
    await this.call(`creating ${repo}`, async () => {
      try {
        await createRepo({ repo: model(repo), ...this.common, accessToken });
      } catch (error) {
        // Created by someone else in the meantime: as good as created by us.
        if (!(error instanceof HubApiError && error.statusCode === 409)) throw error;
      }
    });
    return [];
  }
}

/** Runs `work` over `items`, at most `limit` at a time; stops taking new items after the first failure. */
const inPool = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // Settle every worker before failing, so no download is still writing when the caller hears of the error.
  const outcomes = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
};
