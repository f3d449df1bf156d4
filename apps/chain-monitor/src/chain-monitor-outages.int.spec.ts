import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { u8aToHex } from '@polkadot/util';
import { eventually } from '#testing';
import { MonitorTestBed, RecordingLogger, since, text } from './testing/monitor-test-bed.js';

const NETUID = 12;
/** The node forgets the state of blocks older than this: a monitor down for longer finds a gap. */
const STATE_RETENTION = 8;
let bed: MonitorTestBed;

beforeAll(async () => {
  bed = await MonitorTestBed.start('chain_monitor_outages', NETUID, { stateRetention: STATE_RETENTION });
});

afterAll(async () => {
  await bed?.dispose();
});

describe('chain monitor through outages', () => {
  it('rides out a node outage: reconnects, and observes what was committed during and after it, once each', async () => {
    const [bob, charlie, dave] = bed.keys.miners;
    const logger = new RecordingLogger();
    const monitor = await bed.startMonitor(logger);
    const start = bed.node.head.number;
    bed.node.produceBlocks(1);
    await bed.caughtUp(monitor);

    await bed.node.stop();
    const duringOutage = bed.node.commitDirectly(NETUID, bob.address, text('k1:mt10:acme/b@1000001'));
    bed.node.produceBlocks(2);
    await eventually('the monitor to notice the node is gone', () => logger.at('warn').some((m) => /lost the Subtensor node/.test(m)));
    await bed.node.resume();
    await eventually('the miners’ client to reconnect', () => bed.chain.api.isConnected);

    const afterOutage = [
      await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/c@1000002'), charlie),
      await bed.chain.setCommitment(NETUID, Uint8Array.of(0x00), dave),
    ];
    await bed.caughtUp(monitor);
    await bed.stopMonitor(monitor);

    expect(since(start, await bed.observed()).map((o) => [o.hotkey, o.block, o.raw])).toEqual([
      [bob.address, duringOutage.number, u8aToHex(text('k1:mt10:acme/b@1000001'))],
      [charlie.address, afterOutage[0]!.block.number, u8aToHex(text('k1:mt10:acme/c@1000002'))],
      [dave.address, afterOutage[1]!.block.number, '0x00'],
    ]);
    expect(logger.at('error')).toEqual([]);
  });

  it('down longer than the node keeps state: says so loudly, with the gap, and appends the commitments that changed', async () => {
    const [bob, charlie, dave] = bed.keys.miners;
    const first = await bed.startMonitor();
    bed.node.produceBlocks(1);
    await bed.caughtUp(first);
    await bed.stopMonitor(first);
    const stoppedAt = bed.node.head.number;

    bed.node.commitDirectly(NETUID, bob.address, text('k1:mt10:acme/b@2000001'));
    const bobLatest = bed.node.commitDirectly(NETUID, bob.address, text('k1:mt10:acme/b@2000002'));
    const charlieLatest = bed.node.commitDirectly(NETUID, charlie.address, text('k1:mt10:acme/c@2000003'));
    const headAtRestart = bed.node.produceBlocks(STATE_RETENTION + 2).number;

    const logger = new RecordingLogger();
    const second = await bed.startMonitor(logger);
    await bed.caughtUp(second);
    const after = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/d@2000004'), dave);
    await bed.caughtUp(second);
    await bed.stopMonitor(second);

    const [gap, ...otherErrors] = logger.at('error');
    const [, from, to] = /STATE GAP on netuid \d+: the node no longer has the state of blocks (\d+)-(\d+)/.exec(gap ?? '') ?? [];
    // The gap covers every block the monitor missed (it may start a little earlier: the log's resume marker is periodic).
    expect(Number(from)).toBeLessThanOrEqual(stoppedAt + 1);
    expect(Number(to)).toBeGreaterThanOrEqual(headAtRestart);
    expect(otherErrors).toEqual([]);
    // Dave's commitment (untouched in the gap) and Bob's replaced one are not in the catch-up: only the latest of each hotkey that changed.
    expect(since(stoppedAt, await bed.observed()).map((o) => [o.hotkey, o.block, o.raw])).toEqual([
      [bob.address, bobLatest.number, u8aToHex(text('k1:mt10:acme/b@2000002'))],
      [charlie.address, charlieLatest.number, u8aToHex(text('k1:mt10:acme/c@2000003'))],
      [dave.address, after.block.number, u8aToHex(text('k1:mt10:acme/d@2000004'))],
    ]);
    const recovered = (await bed.events()).filter((e) => e.type === 'CommitmentObserved' && e.data.block > stoppedAt);
    expect(recovered.slice(0, 2).map((e) => e.type === 'CommitmentObserved' && e.data.blockHash)).toEqual([bobLatest.hash, charlieLatest.hash]);
  });

  it('first start of a subnet against a node without its early state: catches up with every commitment there is', async () => {
    const other = NETUID + 1;
    const [bob] = bed.keys.miners;
    bed.node.registerNeuron({ netuid: other, hotkey: bob.address, coldkey: bob.address });
    const commitment = bed.node.commitDirectly(other, bob.address, text('k1:mt10:acme/b@3000001'));
    bed.node.produceBlocks(STATE_RETENTION + 1);

    const logger = new RecordingLogger();
    const monitor = await bed.startMonitor(logger, { NETUID: other });
    await bed.caughtUp(monitor);
    await bed.stopMonitor(monitor);

    expect(logger.at('error')).toEqual([expect.stringMatching(new RegExp(`STATE GAP on netuid ${other}: the node no longer has the state of blocks 1-`))]);
    expect((await bed.observed()).filter((o) => o.netuid === other)).toEqual([
      { netuid: other, hotkey: bob.address, uid: 0, block: commitment.number, blockHash: commitment.hash, raw: u8aToHex(text('k1:mt10:acme/b@3000001')) },
    ]);
    expect((await bed.snapshots()).filter((s) => s.netuid === other).map((s) => s.neurons.map((n) => n.hotkey))).toEqual([[bob.address]]);
  });
});
