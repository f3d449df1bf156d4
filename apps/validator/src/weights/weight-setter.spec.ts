import { describe, expect, it } from '@jest/globals';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { ChainError, type BlockRef, type ChainPort, type WeightsOutcome } from '#chain';
import { InMemoryEventLog, InMemoryEventReader, InMemoryEventStore } from '#eventing';
import { WeightSetter } from './weight-setter.js';

const NETUID = 5;
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const block = (number: number): BlockRef => ({ number, hash: `0x${number.toString(16).padStart(64, '0')}` });

/**
 * A scripted chain: the edge cases here are an outage at one exact call and a refusal with a given pallet error,
 * which the Subtensor test node cannot be made to produce at that point (the node itself is used in the .int spec).
 */
const scriptedChain = (head: number, setWeights: (() => Promise<WeightsOutcome>)[]) => {
  const calls: string[] = [];
  const chain = {
    finalizedHead: async () => block(head),
    hyperparameters: async () => ({
      netuid: NETUID,
      weightsSetRateLimit: 0,
      commitRevealEnabled: false,
      tempo: 360,
      revealPeriodEpochs: 1,
      weightsVersionKey: 0n,
      minAllowedWeights: 1,
      maxWeightsLimit: 65535,
      neurons: 3,
    }),
    weightsStanding: async () => ({ uid: 2, lastUpdate: 0 }),
    setWeights: async () => {
      calls.push('setWeights');
      return setWeights.shift()!();
    },
  };
  return { chain: chain as unknown as ChainPort, calls };
};

const setter = async (chain: ChainPort) => {
  await cryptoWaitReady();
  const hotkey = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Bob');
  const log = new InMemoryEventLog();
  const store = new InMemoryEventStore(log, { producer: { app: 'test', version: '0' } });
  const reader = new InMemoryEventReader(log);
  const weights = new WeightSetter({
    netuid: NETUID,
    hotkey,
    chain,
    store,
    reader,
    scoring: { z: 1.96, ownerShare: 0, burnUid: 0 },
    policy: { intervalBlocks: 100 },
    logger: silent,
  });
  const types = async () => {
    const out: string[] = [];
    for await (const item of reader.read({ fromSequence: 1 })) if (item.ok) out.push(item.event.type);
    return out;
  };
  return { weights, types, reader };
};

const included = (n: number): WeightsOutcome => ({
  kind: 'set',
  inclusion: { block: block(n), extrinsicHash: `0x${'ee'.repeat(32)}`, events: [] },
  uids: [0, 1, 2],
  values: [65535, 65535, 65535],
});

describe('the weight setter at the edge', () => {
  it('submits the recorded vector again after an outage, without recording it twice', async () => {
    const { chain, calls } = scriptedChain(10, [() => Promise.reject(new ChainError('connection', 'node went away')), () => Promise.resolve(included(11))]);
    const { weights, types } = await setter(chain);
    await expect(weights.onBlock(block(10))).rejects.toThrow('node went away');
    expect(await types()).toEqual(['ScoresComputed', 'WeightsComputed']);
    await weights.onBlock(block(10));
    expect(await types()).toEqual(['ScoresComputed', 'WeightsComputed', 'WeightsSet']);
    expect(calls).toEqual(['setWeights', 'setWeights']);
  });

  it('records the chain’s refusal with the pallet error and the block, and does not retry at the next block', async () => {
    const refusal = new ChainError('dispatch_failed', 'set_weights failed', { module: { pallet: 'SubtensorModule', name: 'SettingWeightsTooFast', docs: '' } });
    const { chain, calls } = scriptedChain(10, [() => Promise.reject(refusal)]);
    const { weights, reader } = await setter(chain);
    await weights.onBlock(block(10));
    const events = [];
    for await (const item of reader.read({ fromSequence: 1 })) if (item.ok) events.push(item.event);
    expect(events.at(-1)).toMatchObject({ type: 'WeightsSetFailed', data: { reason: 'SubtensorModule.SettingWeightsTooFast', block: 10 } });
    await weights.onBlock(block(10));
    expect(calls).toEqual(['setWeights']);
  });

  it('decides only at the finalized head: an older block delivered late does nothing', async () => {
    const { chain, calls } = scriptedChain(12, [() => Promise.resolve(included(13))]);
    const { weights, types } = await setter(chain);
    await weights.onBlock(block(10));
    expect(await types()).toEqual([]);
    expect(calls).toEqual([]);
  });
});
