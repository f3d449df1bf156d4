import type { HotkeySource, PolkadotChain } from '#chain';
import type { KeyringPair } from '@polkadot/keyring/types';
import { intFlag, UsageError, type FlagSpecs } from '../args.js';
import { Failure } from '../command.js';

/** Flags every chain-facing miner command shares. */
export const chainFlags = {
  netuid: { kind: 'value', env: 'NETUID', required: true, description: 'subnet id' },
  ws: { kind: 'value', env: 'SUBTENSOR_WS_URL', default: 'ws://127.0.0.1:9944', description: 'Subtensor node WebSocket URL' },
  timeout: { kind: 'value', default: '15', description: 'seconds to keep trying to reach the node' },
} satisfies FlagSpecs;

export const hotkeyFlags = {
  'hotkey-uri': { kind: 'value', description: 'secret URI of the hotkey, e.g. //Alice (dev) or a mnemonic' },
  keystore: { kind: 'value', description: 'polkadot-js keystore JSON or Bittensor hotkey file' },
  'password-env': { kind: 'value', description: 'name of the environment variable holding the keystore password' },
} satisfies FlagSpecs;

export const netuidOf = (value: string | undefined): number => intFlag('netuid', value!);

/** Loads `#chain` (and with it @polkadot/api) on first use; its refusals become `Failure`s (exit 1). */
const chainLib = async <T>(use: (chain: typeof import('#chain')) => Promise<T>): Promise<T> => {
  const chain = await import('#chain');
  try {
    return await use(chain);
  } catch (error) {
    if (error instanceof chain.ChainError || error instanceof chain.HotkeyError) throw new Failure(error.message, { cause: error });
    throw error;
  }
};

/** Connects to the node the flags name, runs `use`, and disconnects whatever happens. */
export const withChain = <T>(flags: { ws: string | undefined; timeout: string | undefined }, use: (chain: PolkadotChain) => Promise<T>): Promise<T> => {
  const connectTimeoutMs = intFlag('timeout', flags.timeout!, 3600) * 1000;
  return chainLib(async ({ connectChain }) => {
    const chain = await connectChain(flags.ws!, { connectTimeoutMs });
    try {
      return await use(chain);
    } finally {
      await chain.close();
    }
  });
};

/** Exactly one of --hotkey-uri and --keystore; a keystore password only ever comes from the environment. */
const hotkeySource = (
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

/** Checks the hotkey flags (usage errors first), then loads the key; a bad keystore is a `Failure` naming the file. */
export const loadHotkeyFrom = (
  flags: { 'hotkey-uri': string | undefined; keystore: string | undefined; 'password-env': string | undefined },
  env: Record<string, string | undefined>,
): Promise<KeyringPair> => {
  const source = hotkeySource(flags, env);
  return chainLib(({ loadHotkey }) => loadHotkey(source));
};
