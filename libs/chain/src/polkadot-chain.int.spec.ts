import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToString } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { impostor, SubtensorTestNode } from '#testing';
import { ChainError } from './errors.js';
import { connectChain, type PolkadotChain } from './polkadot-chain.js';

const NETUID = 3;
const CR_NETUID = 4;
let node: SubtensorTestNode;
let chain: PolkadotChain;
let alice: KeyringPair;
let bob: KeyringPair;
let eve: KeyringPair;

const text = (s: string) => new TextEncoder().encode(s);
const rejection = async (promise: Promise<unknown>): Promise<ChainError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ChainError) return error;
    throw error;
  }
  throw new Error('expected a ChainError, got success');
};

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [alice, bob, eve] = ['//Alice', '//Bob', '//Eve'].map((uri) => keyring.addFromUri(uri)) as [KeyringPair, KeyringPair, KeyringPair];
  node = await SubtensorTestNode.start({ stateRetention: 32 });
  node.registerNeuron({ netuid: NETUID, hotkey: alice.address, coldkey: eve.address, stake: 5_000_000_000_000n, validatorPermit: true });
  node.registerNeuron({ netuid: NETUID, hotkey: bob.address, coldkey: eve.address, stake: 12n });
  node.registerNeuron({ netuid: CR_NETUID, hotkey: alice.address, coldkey: eve.address, validatorPermit: true });
  node.setHyperparameters(NETUID, { commitRevealWeightsEnabled: false });
  // Finney rate-limits a new uid's first commit from its registration block (LastUpdate); this test commits at once.
  node.setHyperparameters(CR_NETUID, { commitRevealWeightsEnabled: true, tempo: 4, revealPeriodEpochs: 1, weightsSetRateLimit: 0 });
  chain = await connectChain(node.url);
});

afterAll(async () => {
  await chain?.close();
  await node?.stop();
});

describe('PolkadotChain against the Subtensor test node', () => {
  it('writes a commitment that reads back at its block and shows as a change in that block', async () => {
    const raw = text('k1:mt10:acme/policy@0123456789abcdef0123456789abcdef01234567');
    const inclusion = await chain.setCommitment(NETUID, raw, bob);
    expect(inclusion.events.map((e) => `${e.section}.${e.method}`)).toContain('commitments.Commitment');

    expect(await chain.commitmentChanges(inclusion.block.hash, NETUID)).toEqual([{ netuid: NETUID, hotkey: bob.address, event: 'Commitment' }]);
    expect(await chain.commitmentChanges(inclusion.block.hash, NETUID + 100)).toEqual([]);
    const record = await chain.commitmentAt(inclusion.block.hash, NETUID, bob.address);
    expect(record).toMatchObject({ netuid: NETUID, hotkey: bob.address, block: inclusion.block.number });
    expect(u8aToString(record!.raw)).toBe(u8aToString(raw));
    const all = await chain.commitmentsAt(inclusion.block.hash, NETUID);
    expect(all.map((c) => c.hotkey)).toEqual([bob.address]);
    expect(await chain.commitmentAt(inclusion.block.hash, NETUID, alice.address)).toBeUndefined();
  });

  it('refuses a commitment from a hotkey that is not a neuron of the subnet, with the pallet error', async () => {
    const error = await rejection(chain.setCommitment(NETUID, text('k1:x'), eve));
    expect(error.kind).toBe('dispatch_failed');
    expect(error.moduleError).toBe('Commitments.AccountNotAllowedCommit');
  });

  it('reads the metagraph at a block: uids, hotkeys, coldkeys, stake, permits', async () => {
    const head = await chain.finalizedHead();
    const metagraph = await chain.metagraphAt(head.hash, NETUID);
    expect(metagraph).toMatchObject({ netuid: NETUID, number: head.number, hash: head.hash });
    expect(metagraph.neurons).toEqual([
      { uid: 0, hotkey: alice.address, coldkey: eve.address, stake: 5_000_000_000_000n, validatorPermit: true, active: true },
      { uid: 1, hotkey: bob.address, coldkey: eve.address, stake: 12n, validatorPermit: false, active: true },
    ]);
  });

  it('sets weights fitted to the subnet’s limits as the SDK does, and respects WeightsSetRateLimit', async () => {
    // Finney's storage default MinAllowedWeights 1024 (a new subnet starts at 1), MaxWeightsLimit u16::MAX.
    node.setHyperparameters(NETUID, { weightsSetRateLimit: 5, minAllowedWeights: 1024 });
    expect(await chain.hyperparameters(NETUID)).toMatchObject({ commitRevealEnabled: false, minAllowedWeights: 1024, maxWeightsLimit: 65535, neurons: 2 });
    const outcome = await chain.setWeights(
      {
        netuid: NETUID,
        weights: [
          { uid: 0, weight: 1 },
          { uid: 1, weight: 3 },
        ],
      },
      alice,
    );
    // Two neurons, fewer than MinAllowedWeights: the SDK's process_weights_for_netuid gives each the same weight.
    expect(outcome).toMatchObject({ kind: 'set', uids: [0, 1], values: [65535, 65535] });
    expect(outcome.inclusion.events.map((e) => e.method)).toEqual(['WeightsSet', 'ExtrinsicSuccess']);
    const stored = await (await chain.api.at(outcome.inclusion.block.hash)).query['subtensorModule']!['weights']!(NETUID, 0);
    expect(stored.toJSON()).toEqual([
      [0, 65535],
      [1, 65535],
    ]);

    const limited = await rejection(chain.setWeights({ netuid: NETUID, weights: [{ uid: 1, weight: 1 }] }, alice));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.details.nextAllowedBlock).toBe(outcome.inclusion.block.number + 5);

    // The next extrinsic lands in head + 1: bring the head to one block before the allowed one.
    node.produceBlocks(limited.details.nextAllowedBlock! - 1 - node.head.number);
    await expect(chain.setWeights({ netuid: NETUID, weights: [{ uid: 1, weight: 1 }] }, alice)).resolves.toMatchObject({ kind: 'set' });
  });

  it('surfaces the chain’s reason when an unregistered hotkey sets weights', async () => {
    const error = await rejection(chain.setWeights({ netuid: NETUID, weights: [{ uid: 0, weight: 1 }] }, eve));
    expect(error.kind).toBe('dispatch_failed');
    expect(error.moduleError).toBe('SubtensorModule.HotKeyNotRegisteredInSubNet');
    expect(error.details.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('surfaces the node’s refusal of a signature made with the wrong key', async () => {
    // Claims to be Bob, signs with Alice's secret.
    const error = await rejection(chain.setWeights({ netuid: NETUID, weights: [{ uid: 1, weight: 1 }] }, impostor(bob, alice)));
    expect(error.kind).toBe('transaction_rejected');
    expect(error.message).toMatch(/bad signature/);
  });

  it('commits and later reveals weights when the subnet uses commit-reveal', async () => {
    const params = await chain.hyperparameters(CR_NETUID);
    expect(params).toMatchObject({ commitRevealEnabled: true, tempo: 4, revealPeriodEpochs: 1 });
    const outcome = await chain.setWeights({ netuid: CR_NETUID, weights: [{ uid: 0, weight: 2 }] }, alice);
    if (outcome.kind !== 'committed') throw new Error(`expected a commit, got ${outcome.kind}`);
    expect(outcome.inclusion.events.map((e) => e.method)).toContain('WeightsCommitted');
    const { pending } = outcome;
    expect(pending.revealFromBlock).toBeGreaterThan(outcome.inclusion.block.number);

    const early = await rejection(chain.revealWeights(pending, alice));
    // Finney's SubtensorTransactionExtension refuses an early reveal at the pool (CommitBlockNotInRevealRange).
    expect([early.kind, early.message]).toEqual(['transaction_rejected', expect.stringMatching(/Custom error: 17$/)]);

    const head = await chain.finalizedHead();
    node.produceBlocks(pending.revealFromBlock - head.number - 1);
    const revealed = await chain.revealWeights(pending, alice);
    expect(revealed.events.map((e) => e.method)).toEqual(['WeightsSet', 'WeightsRevealed', 'ExtrinsicSuccess']);
    const stored = await (await chain.api.at(revealed.block.hash)).query['subtensorModule']!['weights']!(CR_NETUID, 0);
    expect(stored.toJSON()).toEqual([[0, 65535]]);
  });

  it('reports state the node no longer keeps as state_unavailable', async () => {
    const old = await chain.finalizedHead();
    node.produceBlocks(40);
    const error = await rejection(chain.commitmentsAt(old.hash, NETUID));
    expect(error.kind).toBe('state_unavailable');
    expect(error.details.blockHash).toBe(old.hash);
    expect(await chain.blockHash(old.number)).toBe(old.hash);
  });
});
