import type { FlagSpecs } from '../args.js';
import { command, EXIT } from '../command.js';
import { seedOutFlag, writeUserSeed } from '../admin/nkey-file.js';
import { hotkeyFlags, loadHotkeyFrom } from '../miner/chain-flags.js';

const flags = {
  ...hotkeyFlags,
  ...seedOutFlag,
} satisfies FlagSpecs;

export const validatorInit = command({
  path: ['validator', 'init'],
  summary: "create this validator's NATS user key (nkey) and print what to send the platform owner and what to set",
  flags,
  async run(f, io) {
    const hotkey = await loadHotkeyFrom(f, io.env);
    // The file itself: the #eventing barrel loads Nest.
    const { validatorInboxPrefix } = await import('../../../../libs/eventing/src/access/validator-permissions.js');
    const { path, publicKey } = await writeUserSeed(f.out!);
    io.out(`hotkey  ${hotkey.address}`);
    io.out(`nkey    ${publicKey}`);
    io.out(`seed    ${path} (mode 0600: keep it secret, it is this validator's NATS password)`);
    io.out('');
    io.out(`send the platform owner:  --validator ${hotkey.address}=${publicKey}`);
    io.out(`then run the validator and its evaluators with:`);
    io.out(`  NATS_NKEY_SEED_FILE=${path}`);
    io.out(`  NATS_INBOX_PREFIX=${validatorInboxPrefix(hotkey.address)}`);
    return EXIT.ok;
  },
});
