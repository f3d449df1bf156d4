import { connectChain, type HotkeySource, type PolkadotChain } from '#chain';
import { intFlag, UsageError, type FlagSpecs } from '../args.js';

/** Flags every chain-facing miner command shares. */
export const chainFlags = {
  netuid: { kind: 'value', env: 'NETUID', required: true, description: 'subnet id' },
  ws: { kind: 'value', env: 'SUBTENSOR_WS_URL', description: 'Subtensor node WebSocket URL (default ws://127.0.0.1:9944)' },
  timeout: { kind: 'value', description: 'seconds to keep trying to reach the node (default 15)' },
} satisfies FlagSpecs;

export const hotkeyFlags = {
  'hotkey-uri': { kind: 'value', description: 'secret URI of the hotkey, e.g. //Alice (dev) or a mnemonic' },
  keystore: { kind: 'value', description: 'polkadot-js keystore JSON or Bittensor hotkey file' },
  'password-env': { kind: 'value', description: 'name of the environment variable holding the keystore password' },
} satisfies FlagSpecs;

export const connect = (flags: { ws: string | undefined; timeout: string | undefined }): Promise<PolkadotChain> =>
  connectChain(flags.ws ?? 'ws://127.0.0.1:9944', { connectTimeoutMs: intFlag('timeout', flags.timeout ?? '15', 3600) * 1000 });

export const netuidOf = (value: string | undefined): number => intFlag('netuid', value!);

/** Exactly one of --hotkey-uri and --keystore; a keystore password only ever comes from the environment. */
export const hotkeySource = (
  flags: { 'hotkey-uri': string | undefined; keystore: string | undefined; 'password-env': string | undefined },
  env: Record<string, string | undefined>,
): HotkeySource => {
  const uri = flags['hotkey-uri'];
  const { keystore } = flags;
  const passwordEnv = flags['password-env'];
  if (uri && keystore) throw new UsageError('give either --hotkey-uri or --keystore, not both');
  if (uri) {
    if (passwordEnv) throw new UsageError('--password-env only applies to --keystore');
    return { uri };
  }
  if (!keystore) throw new UsageError('a hotkey is required: --hotkey-uri <uri> or --keystore <file>');
  if (passwordEnv && env[passwordEnv] === undefined) throw new UsageError(`--password-env names ${passwordEnv}, which is not set`);
  return { keystoreFile: keystore, password: passwordEnv ? env[passwordEnv] : undefined };
};
