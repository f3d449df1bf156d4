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
