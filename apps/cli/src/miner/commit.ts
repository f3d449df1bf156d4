import type { CommitmentRejectionReason } from '#domain';
import { UsageError, type FlagSpecs } from '../args.js';
import { command, EXIT } from '../command.js';
import { chainFlags, hotkeyFlags, loadHotkeyFrom, netuidOf, withChain } from './chain-flags.js';
import { checkCompetition, checkRevision } from './commit-checks.js';

const flags = {
  competition: { kind: 'value', required: true, description: 'competition id, e.g. mt10' },
  repo: { kind: 'value', required: true, description: 'Hugging Face Hub repo id "owner/name"' },
  revision: { kind: 'value', required: true, description: 'commit sha of the repo (40 hex, or a unique prefix of 7+)' },
  ...chainFlags,
  ...hotkeyFlags,
  api: { kind: 'value', env: 'KINITRO_API_URL', description: 'Kinitro API base URL, to check the competition is active (unchecked when unset)' },
  hub: { kind: 'value', env: 'HF_ENDPOINT', default: 'https://huggingface.co', description: 'Hub URL, to check the revision exists' },
  force: { kind: 'switch', description: 'commit without checking the competition and the revision first' },
} satisfies FlagSpecs;

/** The flag to blame for each reason the codec refuses a commitment. */
const FLAG_OF: Partial<Record<CommitmentRejectionReason, string>> = {
  bad_competition_id: '--competition',
  bad_repo_id: '--repo',
  missing_revision: '--revision',
  bad_revision: '--revision',
};

/** Read access for private repos comes from HF_TOKEN, as for `miner upload`. */
const hubAdapter = async (hubUrl: string, env: Record<string, string | undefined>) => {
  const { HfHubAdapter } = await import('#storage');
  const token = env['HF_TOKEN'] || undefined;
  if (token !== undefined && !token.startsWith('hf_')) throw new UsageError('HF_TOKEN must be a Hugging Face token (it starts with "hf_")');
  return new HfHubAdapter({ hubUrl, ...(token && { token }) });
};

export const minerCommit = command({
  path: ['miner', 'commit'],
  summary: 'check that the competition is active and the revision exists, then commit (competition, Hub repo, revision) on chain with your hotkey',
  flags,
  async run(f, io) {
    const netuid = netuidOf(f.netuid);
    const { encodeCommitment } = await import('#domain');
    const encoded = encodeCommitment({ competitionId: f.competition!, repo: f.repo!, revision: f.revision! });
    if (!encoded.ok) {
      const flag = FLAG_OF[encoded.rejection.reason];
      throw new UsageError(flag ? `${flag}: ${encoded.rejection.detail}` : encoded.rejection.detail);
    }
    const hotkey = await loadHotkeyFrom(f, io.env);
    if (!f.force) {
      await checkCompetition(f.api, f.competition!, io);
      await checkRevision(await hubAdapter(f.hub!, io.env), f.hub!, f.repo!, f.revision!, io);
    }
    return withChain(f, async (chain) => {
      const inclusion = await chain.setCommitment(netuid, encoded.value, hotkey);
      io.out(`committed ${f.competition} ${f.repo}@${f.revision} for ${hotkey.address} on netuid ${netuid}`);
      io.out(`block ${inclusion.block.number} ${inclusion.block.hash}, extrinsic ${inclusion.extrinsicHash}`);
      return EXIT.ok;
    });
  },
});
