import { createHash } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';

/**
 * sr25519 keys for tests that append validator-side events (which must be signed by their validator). Every key
 * made here is remembered, so `testSigner` signs for any of them; a dev URI (`//Alice`: the in-repo Subtensor test
 * node gives it the validator permit) is derived once, as derivation costs tens of milliseconds.
 */
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const keys = new Map<string, KeyringPair>();

const remember = (pair: KeyringPair): KeyringPair => {
  keys.set(pair.address, pair);
  return pair;
};

const byUri = new Map<string, KeyringPair>();
/** A dev key by its secret URI (`//Alice`, `//Bob`, …). */
export const devKey = (uri: string): KeyringPair => {
  let pair = byUri.get(uri);
  if (!pair) byUri.set(uri, (pair = remember(keyring.addFromUri(uri))));
  return pair;
};

/** A key stable for a seed (from a 32-byte seed, so it is cheap to make). */
export const testKeyFor = (seed: string): KeyringPair => remember(keyring.addFromSeed(createHash('sha256').update(`kinitro-test-key:${seed}`).digest()));

/** The key made by devKey or testKeyFor for this address, if any. */
export const testSigningKey = (address: string): KeyringPair | undefined => keys.get(address);

/** A Signer (the event store's port) holding every key made by devKey and testKeyFor. */
export const testSigner = {
  sign: (validator: string, message: Uint8Array): Uint8Array | undefined => keys.get(validator)?.sign(message),
};
