import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { ISubmittableResult } from '@polkadot/types/types';

/** Signs, sends and resolves with the finalized result (whatever its dispatch outcome); for the node's own tests. */
export const finalized = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair) =>
  new Promise<ISubmittableResult>((resolve, reject) => {
    tx.signAndSend(signer, (result) => {
      if (result.status.isFinalized) resolve(result);
    }).catch(reject);
  });

/** `section.Name` of the pallet error a dispatch failed with, decoded by `@polkadot/api` from the metadata. */
export const moduleError = (api: ApiPromise, result: ISubmittableResult): string | undefined => {
  const error = result.dispatchError;
  if (!error?.isModule) return undefined;
  const { section, name } = api.registry.findMetaError(error.asModule);
  return `${section}.${name}`;
};
