import { readFile } from 'node:fs/promises';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair, KeyringPair$Json } from '@polkadot/keyring/types';
import { cryptoWaitReady, mnemonicValidate } from '@polkadot/util-crypto';

export class HotkeyError extends Error {
  override readonly name = 'HotkeyError';
}

/** A dev or secret URI (`//Alice`, a mnemonic, `0x…` seed), or a keystore file with its password. */
export type HotkeySource = { uri: string } | { keystoreFile: string; password?: string };

/** A Bittensor wallet hotkey file (`~/.bittensor/wallets/<w>/hotkeys/<h>`), stored unencrypted by btcli. */
interface BittensorKeyfile {
  secretSeed?: unknown;
  secretPhrase?: unknown;
  ss58Address?: unknown;
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
  const file = source.keystoreFile;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new HotkeyError(`cannot read keystore ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HotkeyError(`keystore ${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new HotkeyError(`keystore ${file} is not a JSON object`);
  if ('encoded' in json) return fromPolkadotJson(json, { ...source, keystoreFile: file });
  return fromBittensorKeyfile(json, file);
};

const fromBittensorKeyfile = (keyfile: BittensorKeyfile, file: string): KeyringPair => {
  // btcli writes null for a secret it does not have.
  const secretSeed = keyfile.secretSeed ?? undefined;
  const secretPhrase = keyfile.secretPhrase ?? undefined;
  const ss58Address = keyfile.ss58Address ?? undefined;
  if (secretSeed === undefined && secretPhrase === undefined) {
    throw new HotkeyError(`keystore ${file} is neither a polkadot-js keystore ("encoded") nor a Bittensor hotkey file ("secretSeed" or "secretPhrase")`);
  }
  // Checked here because addFromUri takes a short string as a raw seed (padded with spaces): some unrelated key.
  if (secretSeed !== undefined && !(typeof secretSeed === 'string' && /^0x[0-9a-fA-F]{64}$/.test(secretSeed))) {
    throw new HotkeyError(`keystore ${file}: "secretSeed" must be a 32-byte hex seed (0x and 64 hex digits)`);
  }
  if (secretSeed === undefined && !(typeof secretPhrase === 'string' && mnemonicValidate(secretPhrase))) {
    throw new HotkeyError(`keystore ${file}: "secretPhrase" is not a valid BIP39 mnemonic`);
  }
  const pair = keyring().addFromUri((secretSeed ?? secretPhrase) as string);
  if (ss58Address !== undefined && ss58Address !== pair.address) {
    throw new HotkeyError(`keystore ${file}: its secret gives ${pair.address}, not the ss58Address ${JSON.stringify(ss58Address)} it declares`);
  }
  return pair;
};

const fromPolkadotJson = (json: Record<string, unknown>, source: { keystoreFile: string; password?: string | undefined }): KeyringPair => {
  const file = source.keystoreFile;
  const { encoded, encoding } = json as { encoded: unknown; encoding?: { type?: unknown; content?: unknown } };
  if (typeof encoded !== 'string' || !encoding || typeof encoding !== 'object' || !Array.isArray(encoding.content)) {
    throw new HotkeyError(`keystore ${file} is not a polkadot-js keystore: it needs "encoded" (a string) and "encoding" with "content"`);
  }
  let pair: KeyringPair;
  try {
    pair = keyring().addFromJson(json as unknown as KeyringPair$Json);
  } catch (error) {
    throw new HotkeyError(`keystore ${file} is damaged: ${(error as Error).message}`, { cause: error });
  }
  const encrypted = ([] as unknown[]).concat(encoding.type ?? []).some((t) => t !== 'none');
  if (encrypted && source.password === undefined) throw new HotkeyError(`keystore ${file} is encrypted: a password is required`);
  try {
    pair.unlock(source.password);
  } catch (error) {
    throw new HotkeyError(`cannot unlock keystore ${file}: wrong password or damaged file`, { cause: error });
  }
  return pair;
};
