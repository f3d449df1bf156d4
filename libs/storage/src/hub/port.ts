import type { ManifestParseResult } from '#domain';

/**
 * The Hugging Face Hub as the platform uses it: the scheduler validates submissions (resolveRevision,
 * repoSnapshot, readManifest), the evaluator fetches agents (download), miners publish them (uploadAgentDir).
 * Every method throws the typed errors of ./errors.ts: HubNotFoundError is a final answer, HubUnavailableError
 * means "retry later".
 */
export interface HubPort {
  /** The full 40-hex sha of a commit id or a unique prefix of one (7+ hex digits). */
  resolveRevision(repo: string, revisionOrPrefix: string): Promise<string>;
  /** The files of the repo at a full sha, with their sizes and checksums. */
  repoSnapshot(repo: string, sha: string): Promise<RepoSnapshot>;
  /** Reads and parses `kinitro.json` at a full sha; a missing manifest is a HubNotFoundError of a file. */
  readManifest(repo: string, sha: string): Promise<ManifestParseResult>;
  /** Downloads every file at a full sha into `destDir`, verifying each against its listed size and checksum. */
  download(repo: string, sha: string, destDir: string, options: DownloadOptions): Promise<RepoSnapshot>;
  /** Commits the directory as the repo's new main (creating the repo if missing); returns the commit sha. */
  uploadAgentDir(repo: string, dir: string, options?: UploadOptions): Promise<UploadResult>;
}

export interface RepoFile {
  path: string;
  size: number;
  /** Git blob id as the Hub lists it (for an LFS file: of its pointer). */
  gitOid: string;
  /** sha256 of the content, given by the Hub for LFS files. */
  sha256?: string;
}

export interface RepoSnapshot {
  repo: string;
  sha: string;
  files: RepoFile[];
  totalBytes: number;
}

export interface DownloadOptions {
  /** Refuse (HubLimitError) a repo whose files add up to more than this. */
  maxBytes: number;
  /** Files fetched at once; 4 by default. */
  concurrency?: number;
}

export type UploadPhase = 'preparing' | 'hashing' | 'uploading' | 'committing' | 'done';

export interface UploadProgress {
  phase: UploadPhase;
  /** Bytes the Hub has received (large files as they go up, the others with the commit). */
  bytesDone: number;
  bytesTotal: number;
  filesTotal: number;
  /** The file the last event was about. */
  file?: string;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  commitMessage?: string;
}

export interface UploadResult {
  repo: string;
  sha: string;
  files: number;
  bytes: number;
}
