import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { stringToU8a, u8aToString } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { finalized, moduleError as palletError } from './api-test-helpers.js';
import { loadSubtensorMetadata, MetadataMissingError } from './metadata.js';
import { impostor } from './test-keys.js';
import { SubtensorTestNode } from './test-node.js';

const NETUID = 7;
let node: SubtensorTestNode;
let api: ApiPromise;
let alice: KeyringPair;
let bob: KeyringPair;
let eve: KeyringPair;

const moduleError = (result: Parameters<typeof palletError>[1]) => palletError(api, result);

beforeAll(async () => {
  await cryptoWaitReady();
  node = await SubtensorTestNode.start({ stateRetention: 8 });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [alice, bob, eve] = ['//Alice', '//Bob', '//Eve'].map((uri) => keyring.addFromUri(uri)) as [KeyringPair, KeyringPair, KeyringPair];
  node.registerNeuron({ netuid: NETUID, hotkey: alice.address, coldkey: bob.address, stake: 1_000_000_000n, validatorPermit: true });
  node.registerNeuron({ netuid: NETUID, hotkey: bob.address, coldkey: bob.address });
  // Finney's defaults (from the metadata) turn commit-reveal on and rate-limit a new uid's first
  // weights; this subnet sets weights directly, at once.
  node.setHyperparameters(NETUID, { commitRevealWeightsEnabled: false, weightsSetRateLimit: 0 });
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true, throwOnConnect: true });
});

afterAll(async () => {
  await api?.disconnect();
  await node?.stop();
});

describe('Subtensor test node', () => {
  it('is accepted by @polkadot/api as a node running the Finney runtime', async () => {
    expect(api.runtimeVersion.specVersion.toNumber()).toBe(393);
    expect(api.genesisHash.toHex()).toBe(node.genesisHash);
    expect(api.tx.commitments?.setCommitment).toBeDefined();
  });

  it('applies a signed set_commitment: event in the block, value readable at that block', async () => {
    const text = 'k1:mt10:acme/policy@0123456789abcdef0123456789abcdef01234567';
    const result = await finalized(api.tx.commitments!.setCommitment!(NETUID, { fields: [{ [`Raw${text.length}`]: stringToU8a(text) }] }), alice);
    expect(result.dispatchError).toBeUndefined();
    const event = result.events.find(({ event }) => api.events.commitments!.Commitment!.is(event));
    expect(event?.event.data.toJSON()).toEqual([NETUID, alice.address]);

    const blockHash = result.status.asFinalized;
    const stored = await (await api.at(blockHash)).query.commitments!.commitmentOf!(NETUID, alice.address);
    const registration = (stored as any).unwrap();
    expect(registration.block.toNumber()).toBe((await api.rpc.chain.getHeader(blockHash)).number.toNumber());
    expect(u8aToString(registration.info.fields[0].value.toU8a())).toBe(text);
  });

  it('refuses a commitment from a hotkey not registered on the subnet', async () => {
    const result = await finalized(api.tx.commitments!.setCommitment!(NETUID, { fields: [{ Raw4: stringToU8a('k1:x') }] }), eve);
    expect(moduleError(result)).toBe('commitments.AccountNotAllowedCommit');
  });

  it('reads hyper-parameters a subnet never set as the runtime’s defaults', async () => {
    expect((await api.query.subtensorModule!.weightsSetRateLimit!(NETUID + 1)).toString()).toBe('100');
    expect((await api.query.subtensorModule!.commitRevealWeightsEnabled!(NETUID + 1)).toJSON()).toBe(true);
  });

  it('applies set_weights for a registered validator and fails it for an unregistered hotkey', async () => {
    const ok = await finalized(api.tx.subtensorModule!.setWeights!(NETUID, [0, 1], [100, 65535], 0), alice);
    expect(ok.dispatchError).toBeUndefined();
    expect(ok.events.some(({ event }) => api.events.subtensorModule!.WeightsSet!.is(event))).toBe(true);
    const weights = await api.query.subtensorModule!.weights!(NETUID, 0);
    expect(weights.toJSON()).toEqual([
      [0, 100],
      [1, 65535],
    ]);

    const refused = await finalized(api.tx.subtensorModule!.setWeights!(NETUID, [0], [1], 0), eve);
    expect(moduleError(refused)).toBe('subtensorModule.HotKeyNotRegisteredInSubNet');
  });

  it('enforces WeightsSetRateLimit and commit-reveal itself, with the pallet errors', async () => {
    node.setHyperparameters(NETUID, { weightsSetRateLimit: 3 });
    node.produceBlocks(3);
    expect((await finalized(api.tx.subtensorModule!.setWeights!(NETUID, [1], [1], 0), alice)).dispatchError).toBeUndefined();
    const tooFast = await finalized(api.tx.subtensorModule!.setWeights!(NETUID, [1], [1], 0), alice);
    expect(moduleError(tooFast)).toBe('subtensorModule.SettingWeightsTooFast');

    node.setHyperparameters(NETUID, { commitRevealWeightsEnabled: true });
    node.produceBlocks(3);
    const direct = await finalized(api.tx.subtensorModule!.setWeights!(NETUID, [1], [1], 0), alice);
    expect(moduleError(direct)).toBe('subtensorModule.CommitRevealEnabled');
    node.setHyperparameters(NETUID, { commitRevealWeightsEnabled: false, weightsSetRateLimit: 0 });
  });

  it('rejects an extrinsic whose signature was made by another key, at submission', async () => {
    await expect(api.tx.subtensorModule!.setWeights!(NETUID, [0], [1], 0).signAndSend(impostor(alice, bob))).rejects.toThrow(
      /1010: Invalid Transaction: Transaction has a bad signature/,
    );
  });

  it('refuses a replayed extrinsic as outdated', async () => {
    const tx = await api.tx.commitments!.setCommitment!(NETUID, { fields: [{ Raw4: stringToU8a('k1:r') }] }).signAsync(alice, { nonce: -1 });
    await api.rpc.author.submitExtrinsic(tx);
    await expect(api.rpc.author.submitExtrinsic(tx)).rejects.toThrow(/1010: Invalid Transaction: Transaction is outdated/);
  });

  it('forgets state older than its retention, as a pruned node does', async () => {
    const old = node.head;
    node.produceBlocks(10);
    await expect(api.rpc.state.getStorage(api.query.system!.number!.key(), old.hash)).rejects.toThrow(/State already discarded/);
    expect((await api.rpc.chain.getHeader(old.hash)).number.toNumber()).toBe(old.number);
  });

  it('says where to put the metadata when the file is missing', () => {
    expect(() => loadSubtensorMetadata('/nonexistent/finney.scale')).toThrow(MetadataMissingError);
    expect(() => loadSubtensorMetadata('/nonexistent/finney.scale')).toThrow(/not found at \/nonexistent\/finney.scale.*SUBTENSOR_METADATA/s);
  });
});
