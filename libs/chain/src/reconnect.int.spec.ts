import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Keyring } from '@polkadot/keyring';
import { u8aToString } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { eventually, SubtensorTestNode } from '#testing';
import { connectChain, type PolkadotChain } from './polkadot-chain.js';
import type { BlockRef } from './port.js';

const NETUID = 9;
let node: SubtensorTestNode;
let chain: PolkadotChain;
const miners = ['//Charlie', '//Dave', '//Ferdie'];
const hotkeys: string[] = [];

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  node = await SubtensorTestNode.start();
  for (const uri of miners) {
    const hotkey = keyring.addFromUri(uri).address;
    hotkeys.push(hotkey);
    node.registerNeuron({ netuid: NETUID, hotkey, coldkey: hotkey });
  }
  chain = await connectChain(node.url, { reconnect: { initialDelayMs: 50, maxDelayMs: 400 } });
});

afterAll(async () => {
  await chain?.close();
  await node?.stop();
});

describe('PolkadotChain across a node outage', () => {
  it('reconnects and delivers every finalized block once, with the commitments made while it was down', async () => {
    const delivered: BlockRef[] = [];
    const observed: { hotkey: string; block: number; raw: string }[] = [];
    const start = node.head.number;
    const stop = chain.followFinalized(
      async (block) => {
        for (const change of await chain.commitmentChanges(block.hash, NETUID)) {
          const record = await chain.commitmentAt(block.hash, NETUID, change.hotkey);
          observed.push({ hotkey: change.hotkey, block: block.number, raw: u8aToString(record!.raw) });
        }
        delivered.push(block);
      },
      { after: start },
    );
    node.produceBlocks(2);
    await eventually('the blocks before the outage', () => delivered.length === 2);

    await node.stop();
    const made = hotkeys.map((hotkey, i) => node.commitDirectly(NETUID, hotkey, new TextEncoder().encode(`k1:mt10:acme/m${i}@abcdef0`)));
    node.produceBlocks(3);
    // Let the client fail a few reconnection attempts before the node comes back.
    await new Promise((r) => setTimeout(r, 300));
    await node.resume();

    const head = node.head.number;
    await eventually('catch-up after the outage', () => delivered.at(-1)?.number === head);
    stop();

    expect(delivered.map((b) => b.number)).toEqual(Array.from({ length: head - start }, (_, i) => start + 1 + i));
    expect(observed).toEqual(made.map((block, i) => ({ hotkey: hotkeys[i], block: block.number, raw: `k1:mt10:acme/m${i}@abcdef0` })));
  });
});
