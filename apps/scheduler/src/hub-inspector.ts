import type { HubFindings, HubInspection } from '#domain';
import { AGENT_MANIFEST_FILE, describeManifestIssues } from '#domain';
import { RetryableError } from '#eventing';
import { HubError, HubLimitError, HubNotFoundError, type HubPort } from '#storage';

/**
 * Asks the Hub what validation needs and turns its answers into findings: "not there" is a final finding (the
 * submission is rejected), any other Hub error (down, slow, rate limiting, refusing our token) is a RetryableError:
 * the commitment is retried with backoff and the submission stays pending.
 */
export class HubInspector {
  constructor(private readonly hub: HubPort) {}

  async inspect({ repo, revision }: HubInspection): Promise<HubFindings> {
    try {
      const sha = await this.hub.resolveRevision(repo, revision);
      const snapshot = await this.hub.repoSnapshot(repo, sha);
      return { kind: 'found', revision: sha, repoBytes: snapshot.totalBytes, manifest: await this.manifest(repo, sha) };
    } catch (error) {
      if (error instanceof HubNotFoundError && error.what !== 'file') return { kind: 'missing', what: error.what, detail: error.message };
      if (error instanceof HubError) throw new RetryableError(`the Hub could not tell about ${repo}@${revision}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /** Whether the evaluator could run the repo: a `kinitro.json` it understands. */
  private async manifest(repo: string, sha: string): Promise<Extract<HubFindings, { kind: 'found' }>['manifest']> {
    try {
      const parsed = await this.hub.readManifest(repo, sha);
      return parsed.ok ? { ok: true } : { ok: false, detail: `${AGENT_MANIFEST_FILE}: ${describeManifestIssues(parsed.issues)}` };
    } catch (error) {
      if ((error instanceof HubNotFoundError && error.what === 'file') || error instanceof HubLimitError) return { ok: false, detail: error.message };
      throw error;
    }
  }
}
