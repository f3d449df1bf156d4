import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AGENT_MANIFEST_FILE, AGENT_MANIFEST_MAX_BYTES, describeManifestIssues, parseAgentManifest, type AgentManifest } from '#domain';
import { HubLimitError, HubNotFoundError, type HubPort } from '#storage';

/** What the miner got wrong about the agent itself: the episode fails with fault miner, never retried. */
export class AgentRepoError extends Error {
  override readonly name = 'AgentRepoError';
}

export interface CachedAgent {
  /** The agent's directory on the host, readable by the sandbox's unprivileged user. */
  dir: string;
  manifest: AgentManifest;
}

/**
 * Agents as verified downloads on disk, one directory per revision: `<root>/<owner>/<name>/<sha>`. A download goes
 * to a temporary sibling and is renamed into place only once the Hub port has checked every file's size and
 * checksum, so a crash mid-download leaves no directory that looks complete. A pinned revision never changes, so a
 * directory that exists is the agent.
 */
export class AgentCache {
  /** One download per revision at a time in this process. */
  private readonly inFlight = new Map<string, Promise<CachedAgent>>();

  constructor(
    private readonly hub: HubPort,
    private readonly root: string,
  ) {}

  /** The agent at `repo@sha`, downloading it (at most `maxBytes`) when it is not cached. */
  get(repo: string, sha: string, maxBytes: number): Promise<CachedAgent> {
    const key = `${repo}@${sha}`;
    const running = this.inFlight.get(key) ?? this.fetch(repo, sha, maxBytes).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, running);
    return running;
  }

  private async fetch(repo: string, sha: string, maxBytes: number): Promise<CachedAgent> {
    const dir = join(this.root, repo, sha);
    if (!(await exists(dir))) await this.download(repo, sha, maxBytes, dir);
    return { dir, manifest: await readManifest(dir, repo, sha) };
  }

  private async download(repo: string, sha: string, maxBytes: number, dir: string): Promise<void> {
    await mkdir(dirname(dir), { recursive: true });
    const partial = `${dir}.partial-${randomBytes(4).toString('hex')}`;
    try {
      await this.hub.download(repo, sha, partial, { maxBytes });
      // The agent runs as an unprivileged user of its own: it must be able to read what it is.
      await chmod(partial, 0o755);
      await rename(partial, dir);
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      // Another evaluator process on this host renamed its copy into place first: same revision, same bytes.
      if (await exists(dir)) return;
      if (error instanceof HubLimitError) throw new AgentRepoError(`the agent repo is too large: ${error.message}`, { cause: error });
      if (error instanceof HubNotFoundError) throw new AgentRepoError(`the agent repo cannot be found on the Hub: ${error.message}`, { cause: error });
      throw error;
    }
  }
}

const exists = async (path: string): Promise<boolean> => {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
};

const readManifest = async (dir: string, repo: string, sha: string): Promise<AgentManifest> => {
  const path = join(dir, AGENT_MANIFEST_FILE);
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > AGENT_MANIFEST_MAX_BYTES)
      throw new AgentRepoError(`${AGENT_MANIFEST_FILE} of ${repo}@${sha} is ${size} bytes, more than ${AGENT_MANIFEST_MAX_BYTES}`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AgentRepoError(`${repo}@${sha} has no ${AGENT_MANIFEST_FILE}`);
    throw error;
  }
  const parsed = parseAgentManifest(text);
  if (!parsed.ok) throw new AgentRepoError(`${AGENT_MANIFEST_FILE} of ${repo}@${sha} is invalid: ${describeManifestIssues(parsed.issues)}`);
  return parsed.manifest;
};
