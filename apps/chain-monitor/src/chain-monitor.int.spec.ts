import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { u8aToHex } from '@polkadot/util';
import { newEvent, newEventId } from '#contracts';
import { commitmentAggregateId } from '#domain';
import { MonitorTestBed, type Observed } from './testing/monitor-test-bed.js';

const NETUID = 11;
let bed: MonitorTestBed;
const text = (s: string) => new TextEncoder().encode(s);
const since = (block: number, observed: Observed[]) => observed.filter((o) => o.block > block);

beforeAll(async () => {
  bed = await MonitorTestBed.start('chain_monitor', NETUID);
});

afterAll(async () => {
  await bed?.dispose();
});

describe('chain monitor', () => {
  it('appends one CommitmentObserved per commitment, with uid, block, hash and raw bytes, garbage included', async () => {
    const [bob, charlie] = bed.keys.miners as [typeof bed.keys.validator, typeof bed.keys.validator];
    const monitor = await bed.startMonitor();
    const start = bed.node.head.number;
    const valid = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/a@abcdef0'), bob);
    const garbage = await bed.chain.setCommitment(NETUID, Uint8Array.of(0xff, 0x00, 0xfe), charlie);
    const after = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/a@1234567'), bob);
    await bed.caughtUp(monitor);
    await bed.stopMonitor(monitor);

    expect(since(start, await bed.observed())).toEqual([
      { netuid: NETUID, hotkey: bob.address, uid: 1, block: valid.block.number, blockHash: valid.block.hash, raw: u8aToHex(text('k1:mt10:acme/a@abcdef0')) },
      { netuid: NETUID, hotkey: charlie.address, uid: 2, block: garbage.block.number, blockHash: garbage.block.hash, raw: '0xff00fe' },
      { netuid: NETUID, hotkey: bob.address, uid: 1, block: after.block.number, blockHash: after.block.hash, raw: u8aToHex(text('k1:mt10:acme/a@1234567')) },
    ]);
    const subjects = (await bed.events()).filter((e) => e.type === 'CommitmentObserved').map((e) => e.aggregateId);
    expect(new Set(subjects)).toEqual(new Set([commitmentAggregateId(NETUID, bob.address), commitmentAggregateId(NETUID, charlie.address)]));
  });

  it('syncs the metagraph at start-up and every METAGRAPH_SYNC_BLOCKS blocks, with permits and exact stakes', async () => {
    const monitor = await bed.startMonitor(undefined, { METAGRAPH_SYNC_BLOCKS: 3 });
    const before = (await bed.snapshots()).length;
    bed.node.produceBlocks(7);
    await bed.caughtUp(monitor);
    await bed.stopMonitor(monitor);

    const snapshots = (await bed.snapshots()).slice(before);
    const [startup, ...periodic] = snapshots;
    expect(periodic.length).toBeGreaterThanOrEqual(2);
    expect(periodic.every((s) => s.block % 3 === 0 && s.block > startup!.block)).toBe(true);
    expect(periodic.map((s) => s.block)).toEqual([...new Set(periodic.map((s) => s.block))].sort((a, b) => a - b));
    const latest = snapshots.at(-1)!;
    expect(latest.netuid).toBe(NETUID);
    expect(latest.neurons).toEqual([
      { uid: 0, hotkey: bed.keys.validator.address, coldkey: bed.keys.validator.address, stake: '9007199254740993000', validatorPermit: true, active: true },
      ...bed.keys.miners.map((m, i) => ({ uid: i + 1, hotkey: m.address, coldkey: bed.keys.validator.address, stake: '1000', validatorPermit: false, active: true })),
    ]);
  });

  it('after a restart, observes what was committed while it was stopped, and appends nothing twice', async () => {
    const [bob, charlie, dave] = bed.keys.miners as [typeof bed.keys.validator, typeof bed.keys.validator, typeof bed.keys.validator];
    const start = bed.node.head.number;
    const first = await bed.startMonitor();
    const before = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/b@0000001'), bob);
    await bed.caughtUp(first);
    await bed.stopMonitor(first);

    const whileStopped = [
      await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/c@0000002'), charlie),
      await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/d@0000003'), dave),
    ];
    bed.node.produceBlocks(2);
    const second = await bed.startMonitor();
    const afterRestart = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/b@0000004'), bob);
    await bed.caughtUp(second);
    await bed.stopMonitor(second);
    // A third start re-reads the block of the last commitment (its cursor is just before it): still nothing twice.
    const third = await bed.startMonitor();
    bed.node.produceBlocks(1);
    await bed.caughtUp(third);
    await bed.stopMonitor(third);

    expect(since(start, await bed.observed()).map((o) => [o.hotkey, o.block])).toEqual([
      [bob.address, before.block.number],
      [charlie.address, whileStopped[0]!.block.number],
      [dave.address, whileStopped[1]!.block.number],
      [bob.address, afterRestart.block.number],
    ]);
    const ids = (await bed.events()).map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not rely on JetStream’s 2-minute duplicate window: a block already in the log is not appended again', async () => {
    const dave = bed.keys.miners[2]!;
    const commitment = bed.node.commitDirectly(NETUID, dave.address, text('k1:mt10:acme/d@0000005'));
    // What an earlier run appended longer ago than the duplicate window: JetStream no longer knows its id.
    const planted = newEventId();
    await bed.eventStore().append(
      'commitment',
      commitmentAggregateId(NETUID, dave.address),
      [newEvent('CommitmentObserved', { netuid: NETUID, hotkey: dave.address, uid: 3, block: commitment.number, blockHash: commitment.hash, raw: u8aToHex(text('k1:mt10:acme/d@0000005')) }, planted)],
      { expected: 'any' },
    );

    const monitor = await bed.startMonitor();
    bed.node.produceBlocks(1);
    await bed.caughtUp(monitor);
    await bed.stopMonitor(monitor);

    const atThatBlock = (await bed.events()).filter((e) => e.type === 'CommitmentObserved' && e.data.hotkey === dave.address && e.data.block === commitment.number);
    expect(atThatBlock.map((e) => e.eventId)).toEqual([planted]);
  });
});
