import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectChain, type PolkadotChain } from '#chain';
import { decodeCommitment } from '#domain';
import { SubtensorTestNode } from '#testing';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { runCli } from './cli.js';
import { commands } from './commands.js';

const NETUID = 12;
const REV = '0123456789abcdef0123456789abcdef01234567';
/** The polkadot-js keystore fixture of libs/chain (password "s3cret") and its address. */
const KEYSTORE = fileURLToPath(new URL('../../../libs/chain/src/testdata/keystore-password-s3cret.json', import.meta.url));
const KEYSTORE_ADDRESS = '5G42ABy94pT11j1AuVcJEohvktQ6BcNhjhDkaMueAenRtLr2';
let node: SubtensorTestNode;
let chain: PolkadotChain;
let alice: string;
let bob: string;

const run = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const env = { SUBTENSOR_WS_URL: node.url, NETUID: String(NETUID), KINITRO_TEST_PASSWORD: 's3cret' };
  const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [alice, bob] = ['//Alice', '//Bob'].map((uri) => keyring.addFromUri(uri).address) as [string, string];
  node = await SubtensorTestNode.start();
  node.registerNeuron({ netuid: NETUID, hotkey: alice, coldkey: alice });
  node.registerNeuron({ netuid: NETUID, hotkey: bob, coldkey: bob });
  node.registerNeuron({ netuid: NETUID, hotkey: KEYSTORE_ADDRESS, coldkey: KEYSTORE_ADDRESS });
  chain = await connectChain(node.url);
});

afterAll(async () => {
  await chain?.close();
  await node?.stop();
});

describe('kinitro miner commit / show-commitment against the test node', () => {
  it('commits, and the commitment reads back through the ChainPort at its block as a change of that block', async () => {
    const result = await run('miner', 'commit', '--competition', 'mt10', '--repo', 'acme/policy', '--revision', REV, '--hotkey-uri', '//Alice');
    expect(result).toMatchObject({ code: 0, err: '' });
    const [, number, hash] = /block (\d+) (0x[0-9a-f]{64})/.exec(result.out)!;
    expect(await chain.blockNumber(hash as `0x${string}`)).toBe(Number(number));

    expect(await chain.commitmentChanges(hash as `0x${string}`, NETUID)).toEqual([{ netuid: NETUID, hotkey: alice, event: 'Commitment' }]);
    const record = await chain.commitmentAt(hash as `0x${string}`, NETUID, alice);
    expect(record?.block).toBe(Number(number));
    expect(decodeCommitment(record!.raw)).toEqual({ ok: true, value: { competitionId: 'mt10', repo: 'acme/policy', revision: REV } });

    const shown = await run('miner', 'show-commitment', '--hotkey', alice, '--json');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ block: Number(number), commitment: { competitionId: 'mt10', repo: 'acme/policy', revision: REV } });
  });

  it('signs with a password-protected keystore, the password read from the variable --password-env names', async () => {
    const result = await run('miner', 'commit', '--competition', 'mt10', '--repo', 'acme/other', '--revision', 'abcdef0', '--keystore', KEYSTORE, '--password-env', 'KINITRO_TEST_PASSWORD');
    expect(result).toMatchObject({ code: 0, out: expect.stringContaining(`for ${KEYSTORE_ADDRESS}`) });
    const head = await chain.finalizedHead();
    expect((await chain.commitmentAt(head.hash, NETUID, KEYSTORE_ADDRESS))?.raw).toEqual(new TextEncoder().encode('k1:mt10:acme/other@abcdef0'));
  });

  it('shows how the platform reads a commitment it would reject', async () => {
    node.commitDirectly(NETUID, bob, Uint8Array.of(0x6b, 0x31, 0x3a, 0xff, 0xfe));
    const shown = await run('miner', 'show-commitment', '--hotkey', bob);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/the platform rejects it: non_utf8/);
  });

  it('exits 3 when the hotkey has no commitment', async () => {
    const charlie = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie').address;
    const shown = await run('miner', 'show-commitment', '--hotkey', charlie);
    expect(shown).toMatchObject({ code: 3, out: expect.stringMatching(/no commitment for/) });
  });

  it('exits 1 with the chain’s reason when the hotkey is not a neuron of the subnet', async () => {
    const result = await run('miner', 'commit', '--competition', 'mt10', '--repo', 'acme/policy', '--revision', REV, '--hotkey-uri', '//Eve');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/Commitments\.AccountNotAllowedCommit/);
  });

  it('exits 1 naming the URL when no node answers', async () => {
    const result = await run('miner', 'show-commitment', '--hotkey', alice, '--ws', 'ws://127.0.0.1:1', '--timeout', '1');
    expect(result).toMatchObject({ code: 1, err: expect.stringMatching(/ws:\/\/127\.0\.0\.1:1/) });
  });
});
