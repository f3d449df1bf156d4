import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoIdSchema } from '#contracts';
import { AGENT_MANIFEST_FILE, describeManifestIssues, parseAgentManifest, type AgentManifest, type ManifestIssue } from '#domain';
import { HfHubAdapter } from './hf-hub-adapter.js';
import type { UploadProgress, UploadResult } from './port.js';

/** The directory cannot be published as an agent: no or an invalid manifest, or a bad repo id. */
export class AgentDirError extends Error {
  override readonly name = 'AgentDirError';
  constructor(
    message: string,
    readonly issues: readonly ManifestIssue[] = [],
  ) {
    super(message);
  }
}

export interface MinerUploadOptions {
  dir: string;
  repo: string;
  /** HF_ENDPOINT; the public Hub when omitted. */
  hubUrl?: string;
  /** HF_TOKEN, with write access to the repo. */
  token?: string;
  onProgress?: (progress: UploadProgress) => void;
  commitMessage?: string;
}

export interface MinerUploadResult extends UploadResult {
  manifest: AgentManifest;
}

/** Reads and checks `kinitro.json` in the directory, as the scheduler will once it is on the Hub. */
export const readLocalManifest = async (dir: string): Promise<AgentManifest> => {
  const path = join(dir, AGENT_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AgentDirError(`${path} is missing: an agent needs a manifest`);
    throw error;
  }
  const parsed = parseAgentManifest(text);
  if (!parsed.ok) throw new AgentDirError(`${path} is invalid: ${describeManifestIssues(parsed.issues)}`, parsed.issues);
  return parsed.manifest;
};

/**
 * `kinitro miner upload <dir> --repo R`: checks the manifest locally (so a broken agent never reaches the
 * Hub), then commits the directory as the repo's new main and returns the revision to commit on chain.
 */
export const minerUpload = async (options: MinerUploadOptions): Promise<MinerUploadResult> => {
  if (!repoIdSchema.safeParse(options.repo).success) throw new AgentDirError(`"${options.repo}" is not a Hub repo id (owner/name)`);
  const manifest = await readLocalManifest(options.dir);
  const hub = new HfHubAdapter({ ...(options.hubUrl && { hubUrl: options.hubUrl }), ...(options.token && { token: options.token }) });
  const result = await hub.uploadAgentDir(options.repo, options.dir, {
    ...(options.onProgress && { onProgress: options.onProgress }),
    commitMessage: options.commitMessage ?? `Upload ${manifest.name} ${manifest.version}`,
  });
  return { ...result, manifest };
};
