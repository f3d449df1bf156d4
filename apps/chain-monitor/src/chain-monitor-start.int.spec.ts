import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { MonitorTestBed, RecordingLogger, text } from './testing/monitor-test-bed.js';

const NETUID = 12;
let bed: MonitorTestBed;
/** Bob's commitment early in the chain, Charlie's near its head. */
let early: number;
let late: number;

/** What the monitor said at start-up about where it starts. */
const startLine = (logger: RecordingLogger) => logger.at('log').find((line) => line.startsWith(`watching netuid ${NETUID} from block`));

beforeAll(async () => {
  // Keeps the state of every block, like an archive node: a start deep in the chain is read block by block.
  bed = await MonitorTestBed.start('chain_monitor_start', NETUID, { stateRetention: 1000 });
  const [bob, charlie] = bed.keys.miners;
  early = (await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/early@1'), bob)).block.number;
  bed.node.produceBlocks(60);
  late = (await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/late@2'), charlie)).block.number;
  bed.node.produceBlocks(5);
});

afterAll(async () => {
  await bed?.dispose();
});

describe('chain monitor start block, on a log with no cursor yet', () => {
  jest.setTimeout(90_000);

  it('starts CHAIN_LOOKBACK_BLOCKS before the finalized head, and says so', async () => {
    await bed.resetLog();
    const head = bed.node.head.number;
    const logger = new RecordingLogger();
    const monitor = await bed.startMonitor(logger, { CHAIN_LOOKBACK_BLOCKS: 20, METAGRAPH_SYNC_BLOCKS: 1000 });
    await bed.caughtUp(monitor, 60_000);
    await bed.stopMonitor(monitor);
    expect(startLine(logger)).toBe(
      `watching netuid ${NETUID} from block ${head - 20} (nothing of it in the log yet; the finalized head ${head} minus CHAIN_LOOKBACK_BLOCKS=20)`,
    );
    expect((await bed.snapshots())[0]!.block).toBe(head - 20);
    expect((await bed.observed()).map((o) => o.block)).toEqual([late]);
  });

  it('starts at CHAIN_START_BLOCK when it is set, whatever the lookback', async () => {
    await bed.resetLog();
    const logger = new RecordingLogger();
    const monitor = await bed.startMonitor(logger, { CHAIN_START_BLOCK: early, CHAIN_LOOKBACK_BLOCKS: 20, METAGRAPH_SYNC_BLOCKS: 1000 });
    await bed.caughtUp(monitor, 60_000);
    await bed.stopMonitor(monitor);
    expect(startLine(logger)).toBe(`watching netuid ${NETUID} from block ${early} (nothing of it in the log yet; CHAIN_START_BLOCK=${early})`);
    expect((await bed.snapshots())[0]!.block).toBe(early);
    expect((await bed.observed()).map((o) => o.block)).toEqual([early, late]);
  });

  it('resumes from the cursor in the log, ignoring both settings', async () => {
    // The previous run's log: a start-up snapshot at `early` and Charlie's commitment at `late`, whose
    // block is read again (other hotkeys of it may be missing), so the cursor is late - 1.
    const [, , dave] = bed.keys.miners;
    const cursor = late - 1;
    bed.node.produceBlocks(3);
    const after = (await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/after@3'), dave)).block.number;
    const logger = new RecordingLogger();
    const monitor = await bed.startMonitor(logger, { CHAIN_START_BLOCK: 1, CHAIN_LOOKBACK_BLOCKS: 0 });
    await bed.caughtUp(monitor, 60_000);
    await bed.stopMonitor(monitor);
    expect(startLine(logger)).toBe(`watching netuid ${NETUID} from block ${cursor + 1} (the log covers every block up to ${cursor})`);
    expect((await bed.observed()).map((o) => o.block)).toEqual([early, late, after]);
  });

  it('starts at block 1 of a chain shorter than the default lookback of 7200 blocks', async () => {
    await bed.resetLog();
    const head = bed.node.head.number;
    const logger = new RecordingLogger();
    const monitor = await bed.startMonitor(logger, { METAGRAPH_SYNC_BLOCKS: 1000 });
    await bed.caughtUp(monitor, 60_000);
    await bed.stopMonitor(monitor);
    expect(startLine(logger)).toBe(
      `watching netuid ${NETUID} from block 1 (nothing of it in the log yet; the chain's ${head} finalized blocks are within CHAIN_LOOKBACK_BLOCKS=7200)`,
    );
  });
});
