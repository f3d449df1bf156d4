import type { KeyringPair } from '@polkadot/keyring/types';

/**
 * A key pair that claims to be `claimed` (address and public key) but signs with `signer`'s
 * secret: what a wrong or stolen-address key looks like to the node, which must refuse the
 * signature.
 */
export const impostor = (claimed: KeyringPair, signer: KeyringPair): KeyringPair =>
  new Proxy(signer, {
    get: (target, property) =>
      property === 'address' || property === 'addressRaw' || property === 'publicKey' ? claimed[property] : Reflect.get(target, property),
  });

/** Polls `condition` until it holds, failing with `what` after `timeoutMs`: for events that arrive asynchronously. */
export const eventually = async (what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
