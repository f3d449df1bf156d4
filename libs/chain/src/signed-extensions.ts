import type { ExtDef } from '@polkadot/types/extrinsic/signedExtensions/types';

/**
 * Subtensor's own transaction extensions. In the Finney metadata each one is an empty struct with
 * no implicit data, so they add no bytes to an extrinsic or its signed payload; declaring them
 * tells `@polkadot/api` so, instead of it warning about unknown extensions on every connection.
 */
export const SUBTENSOR_SIGNED_EXTENSIONS: ExtDef = Object.fromEntries(
  ['SudoTransactionExtension', 'CheckShieldedTxValidity', 'SubtensorTransactionExtension', 'DrandPriority'].map((name) => [
    name,
    { extrinsic: {}, payload: {} },
  ]),
);
