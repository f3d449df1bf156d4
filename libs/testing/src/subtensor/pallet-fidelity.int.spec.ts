/**
 * The test node refuses what Finney (spec 393) refuses, with the pallet's own error, checked through
 * the real `@polkadot/api` against the real metadata. Expected values come from the pallet source
 * (opentensor/subtensor pallets/subtensor/src/subnets/weights.rs, subnets/uids.rs, subnets/subnet.rs,
 * epoch/math.rs, pallets/commitments/src/lib.rs; sp_runtime's SignedPayload), worked out by hand here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { stringToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { weightsCommitHash } from '#chain';
import { finalized, moduleError } from './api-test-helpers.js';
import { SubtensorTestNode } from './test-node.js';

const BIG = 11;
const WEIGHTS = 12;
const RATE = 13;
const CR = 14;
const COMMITS = 15;

let node: SubtensorTestNode;
let api: ApiPromise;
let alice: KeyringPair;
let bob: KeyringPair;
let charlie: KeyringPair;
let dave: KeyringPair;

const errorOf = async (tx: Parameters<typeof finalized>[0], signer: KeyringPair) => moduleError(api, await finalized(tx, signer));
const ok = async (tx: Parameters<typeof finalized>[0], signer: KeyringPair) => {
  const result = await finalized(tx, signer);
  expect(moduleError(api, result)).toBeUndefined();
  return result;
};
const blockOf = async (result: Awaited<ReturnType<typeof finalized>>) => (await api.rpc.chain.getHeader(result.status.asFinalized)).number.toNumber();
const sw = (netuid: number, uids: number[], values: number[], versionKey = 0) => api.tx.subtensorModule!.setWeights!(netuid, uids, values, versionKey);
const raw = (n: number, fill: number) => ({ [`Raw${n}`]: new Uint8Array(n).fill(fill) });

beforeAll(async () => {
  await cryptoWaitReady();
  node = await SubtensorTestNode.start();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri)) as KeyringPair[] as [
    KeyringPair,
    KeyringPair,
    KeyringPair,
    KeyringPair,
  ];
  node.registerNeuron({ netuid: BIG, hotkey: alice.address, coldkey: alice.address, validatorPermit: true });
  for (let i = 1; i < 256; i++) {
    const hotkey = encodeAddress(blake2AsU8a(stringToU8a(`miner ${i}`)), 42);
    node.registerNeuron({ netuid: BIG, hotkey, coldkey: hotkey });
  }
  for (const netuid of [WEIGHTS, RATE, CR, COMMITS]) {
    node.registerNeuron({ netuid, hotkey: alice.address, coldkey: alice.address, validatorPermit: true });
    for (const miner of [bob, charlie, dave]) node.registerNeuron({ netuid, hotkey: miner.address, coldkey: miner.address });
  }
  node.setHyperparameters(BIG, { commitRevealWeightsEnabled: false, weightsSetRateLimit: 0 });
  node.setHyperparameters(WEIGHTS, { commitRevealWeightsEnabled: false, weightsSetRateLimit: 0 });
  node.setHyperparameters(RATE, { commitRevealWeightsEnabled: false, weightsSetRateLimit: 0 });
  node.setHyperparameters(CR, { commitRevealWeightsEnabled: true, weightsSetRateLimit: 0, tempo: 4, revealPeriodEpochs: 1 });
  node.setHyperparameters(COMMITS, { tempo: 30 });
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true, throwOnConnect: true });
}, 60_000);

afterAll(async () => {
  await api?.disconnect();
  await node?.stop();
});

describe('signed payloads over 256 bytes (sp_runtime SignedPayload signs their blake2-256)', () => {
  it('accepts set_weights over all 256 uids of a full subnet', async () => {
    const uids = [...Array(256).keys()];
    const values = uids.map((u) => u + 1);
    await ok(sw(BIG, uids, values), alice);
    const stored = (await api.query.subtensorModule!.weights!(BIG, 0)).toJSON() as [number, number][];
    expect(stored).toHaveLength(256);
    // Max-upscaled: 256 → 65535, 128 → round(128 * 65535 / 256) = 32767.5 → 32768.
    expect(stored[255]).toEqual([255, 65535]);
    expect(stored[127]).toEqual([127, 32768]);
  });

  it('accepts a commitment of three 128-byte fields', async () => {
    await ok(api.tx.commitments!.setCommitment!(BIG, { fields: [raw(128, 1), raw(128, 2), raw(128, 3)] }), alice);
  });
});

describe('set_weights checks, in the pallet’s order', () => {
  it('starts a new subnet with init_new_network’s MinAllowedWeights 1, not the storage default 1024', async () => {
    expect(Number((await api.query.subtensorModule!.minAllowedWeights!(WEIGHTS)).toString())).toBe(1);
    expect(Number((await api.query.subtensorModule!.maxWeightsLimit!(WEIGHTS)).toString())).toBe(65535);
  });

  it('names the first failing check', async () => {
    node.setHyperparameters(0, { commitRevealWeightsEnabled: false });
    expect(await errorOf(sw(0, [0, 1], [1]), alice)).toBe('subtensorModule.CanNotSetRootNetworkWeights');
    expect(await errorOf(sw(WEIGHTS, [0, 1], [1]), alice)).toBe('subtensorModule.WeightVecNotEqualSize');
    // A subnet that does not exist has commit-reveal on (the storage default): set_weights fails on that first.
    expect(await errorOf(sw(99, [0], [1]), alice)).toBe('subtensorModule.CommitRevealEnabled');
    node.setHyperparameters(99, { commitRevealWeightsEnabled: false });
    expect(await errorOf(sw(99, [0], [1]), alice)).toBe('subtensorModule.MechanismDoesNotExist');
    expect(await errorOf(api.tx.subtensorModule!.commitWeights!(98, `0x${'11'.repeat(32)}`), alice)).toBe('subtensorModule.MechanismDoesNotExist');
    expect(await errorOf(sw(WEIGHTS, [0, 1, 2, 3, 4], [1, 1, 1, 1, 1]), alice)).toBe('subtensorModule.UidsLengthExceedUidsInSubNet');
    expect(await errorOf(sw(WEIGHTS, [0, 0], [1, 1]), alice)).toBe('subtensorModule.DuplicateUids');
    expect(await errorOf(sw(WEIGHTS, [0, 7], [1, 1]), alice)).toBe('subtensorModule.UidVecContainInvalidOne');
    // Bob has no permit: refused for non-self weights, but a single weight on himself is a self weight.
    expect(await errorOf(sw(WEIGHTS, [0, 1], [1, 1]), bob)).toBe('subtensorModule.NeuronNoValidatorPermit');
    await ok(sw(WEIGHTS, [1], [5]), bob);
  });

  it('refuses fewer than min(MinAllowedWeights, SubnetworkN) weights with WeightVecLengthIsLow', async () => {
    node.setHyperparameters(WEIGHTS, { minAllowedWeights: 3 });
    expect(await errorOf(sw(WEIGHTS, [1, 2], [1, 1]), alice)).toBe('subtensorModule.WeightVecLengthIsLow');
    await ok(sw(WEIGHTS, [1, 2, 3], [1, 1, 1]), alice);
    await ok(sw(WEIGHTS, [0], [1]), alice); // self weight
    // More than the subnet holds: the 4 neurons suffice.
    node.setHyperparameters(WEIGHTS, { minAllowedWeights: 1024 });
    expect(await errorOf(sw(WEIGHTS, [0, 1, 2], [1, 1, 1]), alice)).toBe('subtensorModule.WeightVecLengthIsLow');
    await ok(sw(WEIGHTS, [0, 1, 2, 3], [1, 1, 1, 1]), alice);
    node.setHyperparameters(WEIGHTS, { minAllowedWeights: 1 });
  });

  it('refuses a normalised weight above MaxWeightsLimit with MaxWeightExceeded', async () => {
    node.setHyperparameters(WEIGHTS, { maxWeightsLimit: 32768 }); // ≈ 0.50001
    expect(await errorOf(sw(WEIGHTS, [1, 2], [2, 1]), alice)).toBe('subtensorModule.MaxWeightExceeded'); // 2/3
    await ok(sw(WEIGHTS, [1, 2], [1, 1]), alice); // 1/2
    await ok(sw(WEIGHTS, [0], [9]), alice); // a self weight is exempt
    node.setHyperparameters(WEIGHTS, { maxWeightsLimit: 65535 });
    await ok(sw(WEIGHTS, [1, 2], [1, 2]), alice);
    expect((await api.query.subtensorModule!.weights!(WEIGHTS, 0)).toJSON()).toEqual([
      [1, 32768],
      [2, 65535],
    ]);
  });

  it('applies the same checks to revealed weights', async () => {
    node.setHyperparameters(CR, { minAllowedWeights: 4 });
    const { result, pending } = await commit(CR, [1, 2], [1, 1]);
    await produceUntil(pending.first);
    expect(await errorOf(reveal(CR, pending), alice)).toBe('subtensorModule.WeightVecLengthIsLow');
    // The failed reveal changed nothing: the commit is still there, at the block it was made.
    const commits = (await api.query.subtensorModule!.weightCommits!(CR, alice.address)).toJSON() as unknown[][];
    expect(commits.map((c) => c[1])).toEqual([await blockOf(result)]);
    node.setHyperparameters(CR, { minAllowedWeights: 1 });
  });
});

interface Pending {
  uids: number[];
  values: number[];
  salt: number[];
  hash: `0x${string}`;
  first: number;
  last: number;
}

let saltSeed = 0;
/** Commits on a commit-reveal subnet with tempo 4 and reveal period 1, and works out its reveal window. */
const commit = async (netuid: number, uids: number[], values: number[]) => {
  const salt = [++saltSeed, 7, 7];
  const hash = weightsCommitHash({ hotkeyPublicKey: alice.publicKey, netuid, uids, values, salt, versionKey: 0n });
  const result = await finalized(api.tx.subtensorModule!.commitWeights!(netuid, hash), alice);
  expect(moduleError(api, result)).toBeUndefined();
  const block = await blockOf(result);
  // get_epoch_index = (block + netuid + 1) / (tempo + 1); the reveal epoch is the next one.
  const revealEpoch = Math.floor((block + netuid + 1) / 5) + 1;
  const first = revealEpoch * 5 - (netuid + 1);
  const pending: Pending = { uids, values, salt, hash, first, last: first + 4 };
  return { result, pending, block };
};
const reveal = (netuid: number, p: Pending) => api.tx.subtensorModule!.revealWeights!(netuid, p.uids, p.values, p.salt, 0);
/** Produces blocks so that the next extrinsic lands in block `number`. */
const produceUntil = async (number: number) => {
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  if (number - 1 > head) node.produceBlocks(number - 1 - head);
};

describe('commit-reveal windows (epochs of tempo + 1 blocks, offset by netuid + 1)', () => {
  it('stores the reveal window and allows the reveal only in the reveal epoch', async () => {
    const { pending, block } = await commit(CR, [1, 2], [1, 1]);
    const stored = (await api.query.subtensorModule!.weightCommits!(CR, alice.address)).toJSON() as unknown[][];
    expect(stored.at(-1)).toEqual([pending.hash, block, pending.first, pending.last]);
    await produceUntil(pending.first - 1);
    // The transaction extension refuses it at the pool (CustomTransactionError 17), not RevealTooEarly in a block.
    await expect(reveal(CR, pending).signAndSend(alice)).rejects.toThrow(/^1010: Invalid Transaction: Custom error: 17$/);
    node.produceBlocks(1); // a refused extrinsic makes no block
    const revealed = await ok(reveal(CR, pending), alice);
    expect(await blockOf(revealed)).toBe(pending.first);
    expect(revealed.events.map(({ event }) => event.method)).toEqual(['WeightsSet', 'WeightsRevealed', 'ExtrinsicSuccess']);
  });

  it('refuses at the pool a reveal after the window (CommitBlockNotInRevealRange) and one no commit has (CommitNotFound)', async () => {
    const { pending } = await commit(CR, [1, 2], [1, 3]);
    await produceUntil(pending.last + 1);
    await expect(reveal(CR, pending).signAndSend(alice)).rejects.toThrow(/^1010: Invalid Transaction: Custom error: 17$/);
    await expect(reveal(CR, { ...pending, salt: [999] }).signAndSend(alice)).rejects.toThrow(/^1010: Invalid Transaction: Custom error: 16$/);
  });
});

describe('rate limits (check_rate_limit; append_neuron sets LastUpdate to the registration block)', () => {
  it('makes a newly registered hotkey wait WeightsSetRateLimit blocks from its registration', async () => {
    node.setHyperparameters(RATE, { weightsSetRateLimit: 5 });
    const registeredAt = node.head.number + 1;
    const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');
    const uid = node.registerNeuron({ netuid: RATE, hotkey: eve.address, coldkey: eve.address, validatorPermit: true });
    expect(((await api.query.subtensorModule!.lastUpdate!(RATE)).toJSON() as number[])[uid]).toBe(registeredAt);
    expect(await errorOf(sw(RATE, [uid], [1]), eve)).toBe('subtensorModule.SettingWeightsTooFast');
    await produceUntil(registeredAt + 5);
    const set = await ok(sw(RATE, [uid], [1]), eve);
    expect(await blockOf(set)).toBe(registeredAt + 5);
    expect(await errorOf(sw(RATE, [uid], [1]), eve)).toBe('subtensorModule.SettingWeightsTooFast');
  });

  it('limits the commit, not the reveal, under commit-reveal', async () => {
    node.setHyperparameters(CR, { weightsSetRateLimit: 50 });
    node.produceBlocks(50); // past the earlier tests' commits
    const { pending, block } = await commit(CR, [1], [1]);
    const hash = weightsCommitHash({ hotkeyPublicKey: alice.publicKey, netuid: CR, uids: [2], values: [1], salt: [0], versionKey: 0n });
    expect(await errorOf(api.tx.subtensorModule!.commitWeights!(CR, hash), alice)).toBe('subtensorModule.CommittingWeightsTooFast');
    await produceUntil(pending.first);
    await ok(reveal(CR, pending), alice); // well within 50 blocks of the commit
    // LastUpdate is the commit's block: the reveal did not stamp it.
    expect(((await api.query.subtensorModule!.lastUpdate!(CR)).toJSON() as number[])[0]).toBe(block);
    node.setHyperparameters(CR, { weightsSetRateLimit: 0 });
  });
});

describe('commitment space (pallet_commitments UsedSpaceOf, MaxSpace per subnet epoch)', () => {
  it('allows MaxSpace bytes per epoch, counting at least 100 per commitment', async () => {
    expect(Number((await api.query.commitments!.maxSpace!()).toString())).toBe(3100);
    // Start at the first block of an epoch: (block + 16) divisible by 31.
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    await produceUntil(Math.ceil((head + 2 + 16) / 31) * 31 - 16);
    const big = { fields: [raw(128, 4), raw(128, 5), raw(128, 6)] };
    for (let i = 0; i < 8; i++) await ok(api.tx.commitments!.setCommitment!(COMMITS, big), alice); // 8 × 384 = 3072
    const usage = (await api.query.commitments!.usedSpaceOf!(COMMITS, alice.address)).toJSON();
    expect(usage).toMatchObject({ usedSpace: 3072 });
    // One byte counts as 100: 3172 > 3100.
    expect(await errorOf(api.tx.commitments!.setCommitment!(COMMITS, { fields: [raw(1, 1)] }), alice)).toBe('commitments.SpaceLimitExceeded');
    // Another hotkey has its own allowance; the next epoch starts afresh.
    await ok(api.tx.commitments!.setCommitment!(COMMITS, { fields: [raw(1, 1)] }), bob);
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    await produceUntil(Math.ceil((now + 2 + 16) / 31) * 31 - 16);
    await ok(api.tx.commitments!.setCommitment!(COMMITS, { fields: [raw(1, 1)] }), alice);
    expect((await api.query.commitments!.usedSpaceOf!(COMMITS, alice.address)).toJSON()).toMatchObject({ usedSpace: 100 });
  });
});

describe('stake threshold (SubtensorTransactionExtension: check_weights_min_stake)', () => {
  it('refuses weights from a hotkey with less stake than StakeThreshold at the pool', async () => {
    const netuid = 22;
    node.registerNeuron({ netuid, hotkey: alice.address, coldkey: alice.address, stake: 1_000n, validatorPermit: true });
    node.registerNeuron({ netuid, hotkey: bob.address, coldkey: bob.address, stake: 999n, validatorPermit: true });
    node.setHyperparameters(netuid, { commitRevealWeightsEnabled: false, weightsSetRateLimit: 0 });
    node.setStakeThreshold(1_000n);
    try {
      await ok(sw(netuid, [0], [1]), alice);
      await expect(sw(netuid, [1], [1]).signAndSend(bob)).rejects.toThrow(/^1010: Invalid Transaction: Custom error: 1$/);
      const hash = weightsCommitHash({ hotkeyPublicKey: bob.publicKey, netuid: CR, uids: [1], values: [1], salt: [1], versionKey: 0n });
      await expect(api.tx.subtensorModule!.commitWeights!(CR, hash).signAndSend(bob)).rejects.toThrow(/^1010: Invalid Transaction: Custom error: 1$/);
    } finally {
      node.setStakeThreshold(0n);
    }
  });
});

describe('commit-reveal by default', () => {
  it('is on for a subnet the node creates, unless the node is told otherwise', async () => {
    const fresh = 21;
    node.registerNeuron({ netuid: fresh, hotkey: alice.address, coldkey: alice.address, validatorPermit: true });
    expect((await api.query.subtensorModule!.commitRevealWeightsEnabled!(fresh)).toJSON()).toBe(true);
    const direct = await SubtensorTestNode.start({ subnetDefaults: { commitRevealWeightsEnabled: false, weightsSetRateLimit: 0 } });
    const directApi = await ApiPromise.create({ provider: new WsProvider(direct.url), noInitWarn: true, throwOnConnect: true });
    try {
      direct.registerNeuron({ netuid: fresh, hotkey: alice.address, coldkey: alice.address, validatorPermit: true });
      expect((await directApi.query.subtensorModule!.commitRevealWeightsEnabled!(fresh)).toJSON()).toBe(false);
      const result = await finalized(directApi.tx.subtensorModule!.setWeights!(fresh, [0], [1], 0), alice);
      expect(moduleError(directApi, result)).toBeUndefined();
    } finally {
      await directApi.disconnect();
      await direct.stop();
    }
  });
});
