import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBucket } from '#eventing';
import { chainMonitorKey } from './config.js';
import type { RunningChainMonitor } from './create-chain-monitor.js';
import { MonitorTestBed, RecordingLogger, since, text } from './testing/monitor-test-bed.js';

const NETUID = 13;
let bed: MonitorTestBed;

beforeAll(async () => {
  bed = await MonitorTestBed.start('chain_monitor_lease', NETUID);
});

afterAll(async () => {
  await bed?.dispose();
});

/** Who holds the subnet's chain-monitor lease, read from the lease bucket itself. */
const holderOf = async (): Promise<string | undefined> => {
  const entry = await (await openBucket(bed.nats.js, bed.topology.leaseBucket, { replicas: 1 })).get(chainMonitorKey(NETUID));
  return entry?.operation === 'PUT' ? entry.json<{ holder: string }>().holder : undefined;
};

describe('chain monitor lease', () => {
  it('of two monitors started for one subnet, one follows the chain; the standby takes over when it stops, and no commitment is observed twice', async () => {
    const [bob, charlie] = bed.keys.miners;
    const start = bed.node.head.number;
    const first = await bed.startMonitor();
    const firstHolder = await holderOf();
    let standby: RunningChainMonitor | undefined;
    const standbyStarted = bed.startMonitor(new RecordingLogger(), { METAGRAPH_SYNC_BLOCKS: 1000 }).then((running) => (standby = running));

    const whileFirst = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/l@0000001'), bob);
    await bed.caughtUp(first);
    expect(standby).toBeUndefined();
    expect(await holderOf()).toBe(firstHolder);

    await bed.stopMonitor(first);
    await standbyStarted;
    expect(await holderOf()).not.toBe(firstHolder);
    const whileStandby = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/l@0000002'), charlie);
    await bed.caughtUp(standby!);
    await bed.stopMonitor(standby!);

    expect(since(start, await bed.observed()).map((o) => [o.hotkey, o.block])).toEqual([
      [bob.address, whileFirst.block.number],
      [charlie.address, whileStandby.block.number],
    ]);
  });

  it('a monitor whose lease another holder took over stops following the chain and says why', async () => {
    const [, , dave] = bed.keys.miners;
    const logger = new RecordingLogger();
    const monitor = await bed.startMonitor(logger, { CHAIN_MONITOR_LEASE_TTL_MS: 600 });
    const start = bed.node.head.number;
    // What a standby does once it believes the claim expired (a paused holder, a clock far ahead): the key moves on.
    const kv = await openBucket(bed.nats.js, bed.topology.leaseBucket, { replicas: 1 });
    await kv.put(chainMonitorKey(NETUID), JSON.stringify({ holder: 'another-host:1:feedbeef', expiresAt: Date.now() + 60_000 }));

    const reason = await monitor.leaseLost;
    expect(reason).toBe('another holder took it over');
    expect(logger.at('error')).toContain('chain monitor lease lost (another holder took it over): stopping, another chain monitor acts now');
    await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/l@0000003'), dave);
    bed.node.produceBlocks(2);
    // Nothing to wait for but time: give a monitor that kept going the chance to append what it must not.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(since(start, await bed.observed())).toEqual([]);
    await bed.stopMonitor(monitor);
    await kv.delete(chainMonitorKey(NETUID));
  });
});
