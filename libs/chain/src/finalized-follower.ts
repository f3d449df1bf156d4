import type { BlockRef, FollowOptions, Hex, Unsubscribe } from './port.js';

/** What the follower needs from a node: finalized head numbers as they come, and a block's hash by number. */
export interface FinalizedHeadSource {
  subscribeFinalizedNumbers(onHead: (number: number) => void): Promise<Unsubscribe>;
  blockHash(number: number): Promise<Hex | undefined>;
}

/**
 * Turns the finalized-head subscription, which skips blocks whenever the node finalizes several at
 * once or the connection drops, into an ordered, gap-free, once-each stream of blocks: every head
 * raises the target, and the missing numbers are fetched by number and delivered one at a time.
 */
export class FinalizedFollower {
  private delivered: number | undefined;
  private target = -1;
  private pumping = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private unsubscribe: Unsubscribe | undefined;

  constructor(
    private readonly source: FinalizedHeadSource,
    private readonly onBlock: (block: BlockRef) => Promise<void> | void,
    private readonly options: FollowOptions & { retryDelayMs?: number } = {},
  ) {
    this.delivered = options.after;
  }

  start(): Unsubscribe {
    this.subscribe();
    return () => this.stop();
  }

  /** Subscribes, retrying until it succeeds (the connection may be down when following starts). */
  private subscribe(): void {
    this.source
      .subscribeFinalizedNumbers((number) => this.onHead(number))
      .then((unsubscribe) => (this.stopped ? unsubscribe() : (this.unsubscribe = unsubscribe)))
      .catch((error: unknown) => {
        this.options.onError?.(error);
        if (!this.stopped) this.retry = setTimeout(() => this.subscribe(), this.options.retryDelayMs ?? 1000);
      });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.unsubscribe?.();
  }

  private onHead(number: number): void {
    // Without a cursor, following starts at the first head seen.
    this.delivered ??= number - 1;
    this.target = Math.max(this.target, number);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      while (!this.stopped && this.delivered! < this.target) {
        const number = this.delivered! + 1;
        const hash = await this.source.blockHash(number);
        if (!hash) throw new Error(`the node has no hash for finalized block ${number}`);
        await this.onBlock({ number, hash });
        this.delivered = number;
      }
    } catch (error) {
      this.options.onError?.(error);
      if (!this.stopped) this.retry = setTimeout(() => void this.pump(), this.options.retryDelayMs ?? 1000);
    } finally {
      this.pumping = false;
    }
  }
}
