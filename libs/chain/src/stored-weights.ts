import type { ApiDecoration } from '@polkadot/api/types';
import type { ChainWeights } from './weights.js';

/**
 * `SubtensorModule.Weights(netuid, uid)` at a block: the u16 vector the chain keeps for one validator (uids
 * ascending, as set_weights stored it), empty when it never set weights. What an auditor compares the log with.
 */
export const readStoredWeights = async (at: ApiDecoration<'promise'>, netuid: number, uid: number): Promise<ChainWeights> => {
  const pairs = (await at.query['subtensorModule']!['weights']!(netuid, uid)) as unknown as Iterable<[{ toString(): string }, { toString(): string }]>;
  const entries = [...pairs].map(([target, value]) => ({ uid: Number(target.toString()), value: Number(value.toString()) }));
  return { uids: entries.map((e) => e.uid), values: entries.map((e) => e.value) };
};
