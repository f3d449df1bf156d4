import { command, EXIT } from '../command.js';
import { seedOutFlag, writeUserSeed } from './nkey-file.js';

export const adminNkey = command({
  path: ['admin', 'nkey'],
  summary: "create the NATS user key (nkey) of the owner's own apps, which run unrestricted",
  flags: seedOutFlag,
  async run(f, io) {
    const { path, publicKey } = await writeUserSeed(f.out!);
    io.out(`nkey    ${publicKey}`);
    io.out(`seed    ${path} (mode 0600)`);
    io.out(`give it to nats-config as --owner ${publicKey}; run the owner's apps with NATS_NKEY_SEED_FILE=${path}`);
    return EXIT.ok;
  },
});
