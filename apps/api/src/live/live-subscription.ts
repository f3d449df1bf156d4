import type { RecordedEvent } from '#contracts';
import type { EventReader, ReadItem } from '#eventing';
import { matches } from './event-matcher.js';
import type { SubscribeRequest } from './subscribe-request.js';

export type ServerMessage =
  | { op: 'subscribed'; types: string[]; filters: SubscribeRequest['filters']; fromSequence: number }
  | { op: 'event'; streamSequence: number; event: RecordedEvent }
  | { op: 'unsubscribed' }
  | { op: 'error'; message: string };

export interface LiveSink {
  send(message: ServerMessage): void;
  /** The feed broke: the client should reconnect with its last sequence + 1. */
  fail(reason: string): void;
}

/**
 * One client's subscription: a single followed read from `fromSequence`, so the replay of what the client
 * missed and the live tail are one ordered sequence, with no gap and no duplicate between them.
 */
export class LiveSubscription {
  private stopRequested!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stopRequested = resolve));

  constructor(
    private readonly reader: EventReader,
    private readonly request: SubscribeRequest,
    private readonly sink: LiveSink,
  ) {}

  /** Resolves the first sequence, confirms it to the client, then pushes matching events until stopped. */
  async run(): Promise<void> {
    const fromSequence = this.request.fromSequence ?? (await this.reader.lastSequence()) + 1;
    this.sink.send({ op: 'subscribed', types: this.request.types, filters: this.request.filters, fromSequence });
    const items = this.reader.read({ fromSequence, follow: true })[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<ReadItem>> | undefined;
    try {
      for (;;) {
        pending = items.next();
        const next = await Promise.race([pending, this.stopped.then(() => undefined)]);
        if (!next || next.done) return;
        const item = next.value;
        if (item.ok && matches(item.event, this.request)) {
          this.sink.send({ op: 'event', streamSequence: item.event.streamSequence, event: item.event });
        }
      }
    } catch (error) {
      this.sink.fail(`live feed interrupted: ${(error as Error).message}`);
    } finally {
      // A followed read waits for the next event; once that settles, return() closes its consumer.
      pending?.catch(() => undefined);
      void items.return?.(undefined)?.catch(() => undefined);
    }
  }

  stop(): void {
    this.stopRequested();
  }
}
