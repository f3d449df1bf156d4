import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HttpError, sendError } from './http.js';
import { matchRoute, type HubContext } from './routing.js';
import { storesInLfs } from './routes-write.js';
import { HubStore } from './store.js';

/**
 * A local Hugging Face Hub that the unmodified `@huggingface/hub` client accepts, for integration tests and the
 * demo: model info at a revision, tree listing with `Link` pagination, paths-info, resolve with ranges, repo
 * creation and commits (inline files and LFS basic transfers; never Xet). Errors carry the Hub's `X-Error-Code`.
 */

export interface LocalHubOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where repos live; a fresh temporary directory (removed on close) when omitted. */
  dir?: string;
  /** Entries per tree page; small values exercise `Link` pagination. */
  pageSize?: number;
  /** Files this large or larger go to LFS (the Hub uses 10 MiB); binary files always do. */
  lfsThresholdBytes?: number;
  /** When given, writes need `Authorization: Bearer <one of these>`. Reads stay public. */
  tokens?: readonly string[];
  log?: (line: string) => void;
}

/** Simulated trouble: every request answered 503, or every answer delayed. */
export type HubFault = { kind: 'none' } | { kind: 'down' } | { kind: 'slow'; delayMs: number };

export type FixtureFiles = Record<string, string | Uint8Array>;

export interface FixtureCommitOptions {
  message?: string;
  branch?: string;
  /** Paths (files or folders) to remove in the same commit. */
  delete?: string[];
  /** Force the commit id, to build commits that share a prefix. */
  sha?: string;
}

const DEFAULT_LFS_THRESHOLD = 10 * 1024 * 1024;

export class LocalHub {
  private fault: HubFault = { kind: 'none' };
  private readonly log: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly store: HubStore,
    private readonly context: HubContext,
    private readonly ownsDir: boolean,
  ) {}

  static async start(options: LocalHubOptions = {}): Promise<LocalHub> {
    const ownsDir = options.dir === undefined;
    const store = new HubStore(options.dir ?? mkdtempSync(join(tmpdir(), 'kinitro-hub-')));
    const context: HubContext = { store, pageSize: options.pageSize ?? 1000, lfsThresholdBytes: options.lfsThresholdBytes ?? DEFAULT_LFS_THRESHOLD };
    let hub: LocalHub | undefined;
    const server = createServer((req, res) => void hub!.handle(req, res, options));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    hub = new LocalHub(server, `http://${host}:${port}`, store, context, ownsDir);
    return hub;
  }

  /** `METHOD /path` of every request received, oldest first. */
  get requests(): readonly string[] {
    return this.log;
  }

  setFault(fault: HubFault): void {
    this.fault = fault;
  }

  /** Creates a model repo whose first commit holds `files`; returns that commit's sha. */
  async createRepo(repo: string, files: FixtureFiles, options: FixtureCommitOptions = {}): Promise<string> {
    this.store.createRepo(repo);
    return this.commit(repo, files, { message: 'initial commit', ...options });
  }

  /** Commits `files` (added or replaced) on a branch, main by default; returns the new sha. */
  async commit(repo: string, files: FixtureFiles, options: FixtureCommitOptions = {}): Promise<string> {
    const additions = Object.entries(files).map(([path, value]) => {
      const content = typeof value === 'string' ? Buffer.from(value) : value;
      return { path, content, lfs: storesInLfs(content.length, content.subarray(0, 512), this.context.lfsThresholdBytes) };
    });
    return this.store.commit(repo, {
      title: options.message ?? `update ${Object.keys(files).length} files`,
      branch: options.branch ?? 'main',
      additions,
      deletions: options.delete ?? [],
      ...(options.sha && { sha: options.sha }),
    });
  }

  head(repo: string, branch = 'main'): string | undefined {
    return this.store.refs(repo)[branch];
  }

  /** Serves other bytes for a file at a commit while its recorded size and checksums stay as committed. */
  tamper(repo: string, sha: string, path: string, content: string | Uint8Array): void {
    const file = this.store.commitAt(repo, sha).files[path];
    if (!file) throw new Error(`${path} is not in ${repo}@${sha}`);
    this.store.tamper(repo, file.sha256, typeof content === 'string' ? Buffer.from(content) : content);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.ownsDir) rmSync(this.store.root, { recursive: true, force: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse, options: LocalHubOptions): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const line = `${req.method} ${url.pathname}${url.search}`;
    this.log.push(line);
    options.log?.(line);
    try {
      await this.applyFault(res);
      if (res.writableEnded) return;
      const match = matchRoute(req.method ?? 'GET', url.pathname);
      if (!match) throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
      if (match.route.write && options.tokens && !options.tokens.some((t) => req.headers.authorization === `Bearer ${t}`)) {
        throw new HttpError(401, 'Invalid credentials in Authorization header');
      }
      await match.run({ req, res, url, origin: `http://${req.headers.host}`, hub: this.context });
    } catch (error) {
      const httpError = error instanceof HttpError ? error : new HttpError(500, `local hub failure: ${(error as Error).message}`);
      if (httpError.status === 500) options.log?.(String((error as Error).stack));
      sendError(res, httpError);
    }
  }

  private async applyFault(res: ServerResponse): Promise<void> {
    const fault = this.fault;
    if (fault.kind === 'down') {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end('Service Unavailable');
    } else if (fault.kind === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
    }
  }
}
