import type { LoggerService } from '@nestjs/common';
import { watchCommitments, type BlockRef, type ChainPort, type StateGap, type Unsubscribe, type WatchedBlock } from '#chain';
import type { Topology } from '#contracts';
import { chainFacts } from './chain-facts.js';
import type { FactLog } from './fact-log.js';
import { resumeCursor } from './resume-cursor.js';
import { firstStart, type FirstStart, type StartSettings } from './start-block.js';

export interface ChainMonitorOptions {
  netuid: number;
  metagraphSyncBlocks: number;
  /** Where to start when the log holds no cursor for the subnet yet. */
  start: StartSettings;
}

const describeGap = (gap: StateGap): string =>
  `STATE GAP on netuid ${gap.netuid}: the node no longer has the state of blocks ${gap.from}-${gap.to} (${gap.to - gap.from + 1} blocks; ` +
  `the monitor was down longer than the node keeps state). Catching up from the commitments at block ${gap.resumedAt.number}: ` +
  `${gap.recovered} were made in the gap; any made and replaced within it are lost. Cause: ${gap.reason}`;

/**
 * Turns finalized blocks into chain facts in the event log: a CommitmentObserved for every commitment
 * that changed on the subnet, and a MetagraphSynced at start-up and every `metagraphSyncBlocks` blocks.
 * It resumes after the last block its own events prove it handled, so a restart loses and repeats nothing.
 */
export class ChainMonitor {
  private unsubscribe: Unsubscribe | undefined;
  private handling: Promise<void> = Promise.resolve();
  private handled: BlockRef | undefined;
  private startupSnapshotDue = true;

  constructor(
    private readonly chain: ChainPort,
    private readonly facts: FactLog,
    private readonly topology: Topology,
    private readonly options: ChainMonitorOptions,
    private readonly logger: LoggerService,
  ) {}

  /** The last block whose facts are all in the log (undefined until the first block after start-up). */
  get lastHandledBlock(): BlockRef | undefined {
    return this.handled;
  }

  /** Why it is not ready: not following the chain (before start, after stop). */
  notReady(): string[] {
    return this.unsubscribe ? [] : ['not following the chain'];
  }

  async start(): Promise<void> {
    const { netuid, metagraphSyncBlocks } = this.options;
    const [lastMetagraph, lastCommitment] = await Promise.all([
      this.facts.last(this.topology.eventSubject('metagraph', String(netuid))),
      this.facts.last(this.topology.aggregateWildcard('commitment')),
    ]);
    const cursor = resumeCursor(netuid, lastMetagraph, lastCommitment);
    const { after, reason }: FirstStart =
      cursor === undefined
        ? firstStart(this.options.start, (await this.chain.finalizedHead()).number)
        : { after: cursor, reason: `the log covers every block up to ${cursor}` };
    this.logger.log(`watching netuid ${netuid} from block ${after + 1} (${reason})`);
    this.unsubscribe = watchCommitments(
      this.chain,
      {
        netuid,
        after,
        metagraphEveryBlocks: metagraphSyncBlocks,
        onError: (error) => void this.logger.warn(`block handling failed, retrying: ${(error as Error).message}`),
      },
      (watched) => (this.handling = this.handle(watched)),
    );
  }

  /** Stops following and waits for the block in hand, so nothing is cut off between two appends. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.handling.catch(() => undefined);
  }

  private async handle(watched: WatchedBlock): Promise<void> {
    if (watched.gap) this.logger.error(describeGap(watched.gap));
    const metagraph = watched.metagraph ?? (this.startupSnapshotDue ? await this.chain.metagraphAt(watched.block.hash, this.options.netuid) : undefined);
    let appended = 0;
    for (const fact of chainFacts(watched.commitments, metagraph)) if (await this.facts.record(fact)) appended++;
    if (watched.gap) this.logger.warn(`caught up after the state gap: ${appended} events appended at block ${watched.block.number}`);
    this.startupSnapshotDue = false;
    this.handled = watched.block;
  }
}
