import { readFile } from 'node:fs/promises';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair, KeyringPair$Json } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';

export class HotkeyError extends Error {
  override readonly name = 'HotkeyError';
}

/** A dev or secret URI (`//Alice`, a mnemonic, `0x…` seed), or a keystore file with its password. */
export type HotkeySource = { uri: string } | { keystoreFile: string; password?: string };

/** A Bittensor wallet hotkey file (`~/.bittensor/wallets/<w>/hotkeys/<h>`), stored unencrypted by btcli. */
interface BittensorKeyfile {
  secretSeed?: string;
  secretPhrase?: string;
  ss58Address?: string;
}

const keyring = () => new Keyring({ type: 'sr25519', ss58Format: 42 });

/** Loads the sr25519 hotkey that signs commitments and weights. */
export const loadHotkey = async (source: HotkeySource): Promise<KeyringPair> => {
  await cryptoWaitReady();
  if ('uri' in source) {
    try {
      return keyring().addFromUri(source.uri);
    } catch (error) {
      throw new HotkeyError(`the hotkey URI is not a valid secret URI: ${(error as Error).message}`, { cause: error });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(source.keystoreFile, 'utf8'));
  } catch (error) {
    throw new HotkeyError(`cannot read keystore ${source.keystoreFile}: ${(error as Error).message}`, { cause: error });
  }
  if (json && typeof json === 'object' && 'encoded' in json) return fromPolkadotJson(json as KeyringPair$Json, source);
  const keyfile = json as BittensorKeyfile;
  const secret = keyfile?.secretSeed ?? keyfile?.secretPhrase;
  if (!secret) throw new HotkeyError(`${source.keystoreFile} is neither a polkadot-js keystore nor a Bittensor hotkey file`);
  const pair = keyring().addFromUri(secret);
  if (keyfile.ss58Address && keyfile.ss58Address !== pair.address) {
    throw new HotkeyError(`${source.keystoreFile}: its secret gives ${pair.address}, not the ss58Address ${keyfile.ss58Address} it declares`);
  }
  return pair;
};

const fromPolkadotJson = (json: KeyringPair$Json, source: { keystoreFile: string; password?: string }): KeyringPair => {
  const pair = keyring().addFromJson(json);
  const encrypted = ([] as string[]).concat(json.encoding?.type ?? []).some((t) => t !== 'none');
  if (encrypted && source.password === undefined) throw new HotkeyError(`${source.keystoreFile} is encrypted: a password is required`);
  try {
    pair.unlock(source.password);
  } catch (error) {
    throw new HotkeyError(`cannot unlock ${source.keystoreFile}: wrong password or damaged file`, { cause: error });
  }
  return pair;
};
