import { loadHotkey } from '#chain';
import { encodeCommitment, type CommitmentRejectionReason } from '#domain';
import { parseFlags, UsageError, type FlagSpecs } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { chainFlags, connect, hotkeyFlags, hotkeySource, netuidOf } from './chain-flags.js';

const flags = {
  competition: { kind: 'value', required: true, description: 'competition id, e.g. mt10' },
  repo: { kind: 'value', required: true, description: 'Hugging Face Hub repo id "owner/name"' },
  revision: { kind: 'value', required: true, description: 'commit sha of the repo (40 hex, or a unique prefix of 7+)' },
  ...chainFlags,
  ...hotkeyFlags,
} satisfies FlagSpecs;

/** The flag to blame for each reason the codec refuses a commitment. */
const FLAG_OF: Partial<Record<CommitmentRejectionReason, string>> = {
  bad_competition_id: '--competition',
  bad_repo_id: '--repo',
  missing_revision: '--revision',
  bad_revision: '--revision',
};

export const minerCommit: Command = {
  path: ['miner', 'commit'],
  summary: 'commit (competition, Hub repo, revision) on chain with your hotkey',
  flags,
  async run(argv, io) {
    const f = parseFlags(argv, flags, io.env);
    const netuid = netuidOf(f.netuid);
    const encoded = encodeCommitment({ competitionId: f.competition!, repo: f.repo!, revision: f.revision! });
    if (!encoded.ok) {
      const flag = FLAG_OF[encoded.rejection.reason];
      throw new UsageError(flag ? `${flag}: ${encoded.rejection.detail}` : encoded.rejection.detail);
    }
    const hotkey = await loadHotkey(hotkeySource(f, io.env));
    const chain = await connect(f);
    try {
      const inclusion = await chain.setCommitment(netuid, encoded.value, hotkey);
      io.out(`committed ${f.competition} ${f.repo}@${f.revision} for ${hotkey.address} on netuid ${netuid}`);
      io.out(`block ${inclusion.block.number} ${inclusion.block.hash}, extrinsic ${inclusion.extrinsicHash}`);
      return EXIT.ok;
    } finally {
      await chain.close();
    }
  },
};
