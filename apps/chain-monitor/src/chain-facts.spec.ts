import { describe, expect, it } from '@jest/globals';
import type { Metagraph, ObservedCommitment } from '#chain';
import { validatePayload } from '#contracts';
import { chainFacts, isNews } from './chain-facts.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const H1 = `0x${'11'.repeat(32)}` as const;
const H2 = `0x${'22'.repeat(32)}` as const;

const observed = (hotkey: string, block: number, blockHash: `0x${string}`, raw: `0x${string}`): ObservedCommitment => ({
  netuid: 26,
  hotkey,
  uid: 3,
  block,
  blockHash,
  raw,
});
const metagraph: Metagraph = {
  netuid: 26,
  number: 100,
  hash: H1,
  neurons: [{ uid: 0, hotkey: ALICE, coldkey: BOB, stake: 123_456_789_012_345_678_901n, validatorPermit: true, active: true }],
};

describe('chainFacts', () => {
  it('appends each commitment to its hotkey’s aggregate, then the snapshot last (it marks the block handled)', () => {
    const facts = chainFacts([observed(ALICE, 100, H1, '0xff00fe'), observed(BOB, 100, H1, '0x6b31')], metagraph);
    expect(facts.map((f) => [f.aggregate, f.aggregateId, f.block, f.event.type])).toEqual([
      ['commitment', `26:${ALICE}`, 100, 'CommitmentObserved'],
      ['commitment', `26:${BOB}`, 100, 'CommitmentObserved'],
      ['metagraph', '26', 100, 'MetagraphSynced'],
    ]);
  });

  it('records garbage bytes as they are, in a payload the contract accepts', () => {
    const [fact] = chainFacts([observed(ALICE, 100, H1, '0xff00fe')], undefined);
    expect(validatePayload('CommitmentObserved', fact!.event.data)).toEqual({ netuid: 26, hotkey: ALICE, uid: 3, block: 100, blockHash: H1, raw: '0xff00fe' });
  });

  it('carries stakes beyond 2^53 as exact decimal strings', () => {
    const [fact] = chainFacts([], metagraph);
    const data = validatePayload('MetagraphSynced', fact!.event.data);
    expect(data).toEqual({
      netuid: 26,
      block: 100,
      blockHash: H1,
      neurons: [{ uid: 0, hotkey: ALICE, coldkey: BOB, stake: '123456789012345678901', validatorPermit: true, active: true }],
    });
  });

  it('gives a re-read of the same block the same event ids, and another block other ids', () => {
    const first = chainFacts([observed(ALICE, 100, H1, '0x01')], metagraph);
    const again = chainFacts([observed(ALICE, 100, H1, '0x01')], metagraph);
    const later = chainFacts([observed(ALICE, 101, H2, '0x01')], { ...metagraph, number: 101, hash: H2 });
    expect(again.map((f) => f.event.eventId)).toEqual(first.map((f) => f.event.eventId));
    expect(new Set([...first, ...later].map((f) => f.event.eventId)).size).toBe(4);
  });
});

describe('isNews', () => {
  it('is news to an aggregate that has nothing yet, or only older blocks', () => {
    expect(isNews({ block: 10 }, undefined)).toBe(true);
    expect(isNews({ block: 10 }, 9)).toBe(true);
  });

  it('is not news at the block already recorded or before it (re-reads after the duplicate window)', () => {
    expect(isNews({ block: 10 }, 10)).toBe(false);
    expect(isNews({ block: 9 }, 10)).toBe(false);
  });
});
