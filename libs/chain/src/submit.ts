import type { ApiPromise, SubmittableResult } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { DispatchError } from '@polkadot/types/interfaces';
import type { ISubmittableResult } from '@polkadot/types/types';
import { explainDispatchError, type DispatchContext } from './dispatch-errors.js';
import { ChainError } from './errors.js';
import type { Hex, Inclusion } from './port.js';

const pascal = (section: string) => section.charAt(0).toUpperCase() + section.slice(1);

/** The runtime's reason for failing a dispatched call, as a typed error naming the pallet error. */
const dispatchFailure = (api: ApiPromise, error: DispatchError, what: string, context: DispatchContext, blockHash: Hex, extrinsicHash: Hex): ChainError => {
  if (error.isModule) {
    const meta = api.registry.findMetaError(error.asModule);
    const module = { pallet: pascal(meta.section), name: meta.name, docs: meta.docs.join(' ').trim() };
    return new ChainError('dispatch_failed', `${what} failed on chain: ${explainDispatchError(module, context)}`, {
      module,
      blockHash,
      extrinsicHash,
    });
  }
  return new ChainError('dispatch_failed', `${what} failed on chain: ${error.type}`, { blockHash, extrinsicHash });
};

/** Errors the node answers with a JSON-RPC code (e.g. `1010: Invalid Transaction: …`) are refusals; anything else is the connection. */
const submissionFailure = (what: string, error: unknown): ChainError => {
  const message = error instanceof Error ? error.message : String(error);
  return /^-?\d+: /.test(message)
    ? new ChainError('transaction_rejected', `${what} was refused by the node: ${message}`, {}, { cause: error })
    : new ChainError('connection', `${what} could not be submitted: ${message}`, {}, { cause: error });
};

/**
 * Signs with the hotkey, submits, and resolves once the extrinsic is in a block and succeeded;
 * a refusal by the pool, a drop, or a failed dispatch rejects with a `ChainError`. `what` names the call,
 * `netuid` the subnet it acts on (for the message when the runtime fails it).
 */
export const submitAndWait = (api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair, what: string, netuid: number): Promise<Inclusion> =>
  new Promise<Inclusion>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    let settled = false;
    const settle = (outcome: Promise<Inclusion>) => {
      if (settled) return;
      settled = true;
      unsubscribe?.();
      outcome.then(resolve, reject);
    };
    const onStatus = (result: ISubmittableResult) => {
      const { status } = result;
      const extrinsicHash = result.txHash.toHex();
      if (status.isInBlock || status.isFinalized) {
        const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
        if (result.dispatchError)
          return settle(Promise.reject(dispatchFailure(api, result.dispatchError, what, { netuid, hotkey: signer.address }, blockHash, extrinsicHash)));
        return settle(included(api, result, blockHash, extrinsicHash));
      }
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        settle(Promise.reject(new ChainError('transaction_rejected', `${what} was ${status.type.toLowerCase()} by the node`, { extrinsicHash })));
      }
    };
    tx.signAndSend(signer, { nonce: -1 }, onStatus)
      .then((unsub) => (settled ? unsub() : (unsubscribe = unsub)))
      .catch((error: unknown) => settle(Promise.reject(submissionFailure(what, error))));
  });

const included = async (api: ApiPromise, result: ISubmittableResult, blockHash: Hex, extrinsicHash: Hex): Promise<Inclusion> => {
  const number = (result as SubmittableResult).blockNumber?.toNumber() ?? (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  return {
    block: { number, hash: blockHash },
    extrinsicHash,
    events: result.events.map(({ event }) => ({ section: event.section, method: event.method, data: event.data.toJSON() })),
  };
};
