import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { eventually, SubtensorTestNode } from '#testing';
import { watchCommitments, type WatchedBlock } from './commitment-watcher.js';
import { connectChain, type PolkadotChain } from './polkadot-chain.js';

const NETUID = 5;
let node: SubtensorTestNode;
let chain: PolkadotChain;
let hotkeys: string[];
const bytes = (s: string) => new TextEncoder().encode(s);

/** Runs a watcher from `after` until it has handled the node's current head, and returns what it saw. */
const watchUntilHead = async (after: number, metagraphEveryBlocks?: number): Promise<WatchedBlock[]> => {
  const seen: WatchedBlock[] = [];
  const head = node.head.number;
  const stop = watchCommitments(chain, { netuid: NETUID, after, metagraphEveryBlocks }, async (w) => void seen.push(w));
  try {
    await eventually('the head', () => seen.at(-1)?.block.number === head);
  } finally {
    stop();
  }
  return seen;
};

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  hotkeys = ['//Charlie', '//Dave', '//Ferdie'].map((uri) => keyring.addFromUri(uri).address);
  node = await SubtensorTestNode.start({ stateRetention: 6 });
  hotkeys.forEach((hotkey, i) => node.registerNeuron({ netuid: NETUID, hotkey, coldkey: hotkey, validatorPermit: i === 0 }));
  chain = await connectChain(node.url);
});

afterAll(async () => {
  await chain?.close();
  await node?.stop();
});

describe('watchCommitments', () => {
  it('reports each block once, with the commitments changed in it (garbage included, as raw bytes), and a periodic metagraph', async () => {
    const cursor = node.head.number;
    const first = node.commitDirectly(NETUID, hotkeys[0]!, bytes('k1:mt10:acme/a@abcdef0'));
    node.produceBlocks(1);
    const garbage = node.commitDirectly(NETUID, hotkeys[1]!, Uint8Array.of(0xff, 0x00, 0xfe));
    const seen = await watchUntilHead(cursor, 2);

    expect(seen.map((w) => w.block.number)).toEqual([cursor + 1, cursor + 2, cursor + 3]);
    expect(seen.flatMap((w) => w.commitments)).toEqual([
      { netuid: NETUID, hotkey: hotkeys[0], uid: 0, block: first.number, blockHash: first.hash, raw: u8aToHex(bytes('k1:mt10:acme/a@abcdef0')) },
      { netuid: NETUID, hotkey: hotkeys[1], uid: 1, block: garbage.number, blockHash: garbage.hash, raw: '0xff00fe' },
    ]);
    const withMetagraph = seen.filter((w) => w.metagraph);
    expect(withMetagraph.map((w) => w.block.number)).toEqual(seen.map((w) => w.block.number).filter((n) => n % 2 === 0));
    expect(withMetagraph[0]!.metagraph!.neurons.map((n) => [n.uid, n.hotkey, n.validatorPermit])).toEqual([
      [0, hotkeys[0], true],
      [1, hotkeys[1], false],
      [2, hotkeys[2], false],
    ]);
    expect(seen.some((w) => w.gap)).toBe(false);
  });

  it('after an outage longer than the node keeps state, reports the gap and recovers the latest commitments made in it', async () => {
    const cursor = node.head.number;
    node.commitDirectly(NETUID, hotkeys[2]!, bytes('k1:mt10:acme/c@1111111'));
    const latest = node.commitDirectly(NETUID, hotkeys[2]!, bytes('k1:mt10:acme/c@2222222'));
    const other = node.commitDirectly(NETUID, hotkeys[0]!, bytes('k1:mt10:acme/a@3333333'));
    node.produceBlocks(10);

    const seen = await watchUntilHead(cursor);
    const [recovery, ...rest] = seen;
    expect(recovery!.gap).toMatchObject({
      netuid: NETUID,
      from: cursor + 1,
      to: node.head.number,
      recovered: 2,
      reason: expect.stringMatching(/no longer has the state/),
    });
    expect(recovery!.block).toEqual(node.head);
    expect(recovery!.commitments.map((c) => [c.hotkey, c.block, c.blockHash])).toEqual([
      [hotkeys[2], latest.number, latest.hash],
      [hotkeys[0], other.number, other.hash],
    ]);
    expect(rest).toEqual([]);
  });
});
