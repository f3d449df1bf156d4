import type { RecordedEvent } from '#contracts';
import type { EventReader, ReadItem } from '#eventing';

export interface LiveListener {
  deliver(event: RecordedEvent): void;
  fail(reason: string): void;
}

const sequenceOf = (item: ReadItem): number => (item.ok ? item.event.streamSequence : item.streamSequence);

/**
 * One followed read of the events stream shared by every WebSocket client, so a thousand subscribers cost one
 * consumer, and a client that leaves leaves nothing behind. `position` is the last sequence handed to listeners:
 * a listener attached now receives exactly the events after it.
 */
export class LiveHub {
  private position = 0;
  private readonly listeners = new Set<LiveListener>();
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Settles the current wait for the next item: racing each item against one long-lived promise would keep every item reachable. */
  private wake: ((stop: undefined) => void) | undefined;

  constructor(private readonly reader: EventReader) {}

  /** Starts the shared read if needed; returns the position after which `listener` receives every event. */
  async attach(listener: LiveListener): Promise<number> {
    await (this.running ??= this.start());
    this.listeners.add(listener);
    return this.position;
  }

  detach(listener: LiveListener): void {
    this.listeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.wake?.(undefined);
  }

  /** A listener that throws loses its subscription; the others carry on. */
  private deliver(event: RecordedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener.deliver(event);
      } catch (error) {
        this.listeners.delete(listener);
        listener.fail(`delivery failed: ${(error as Error).message}`);
      }
    }
  }

  private async start(): Promise<void> {
    this.position = await this.reader.lastSequence();
    void this.tail(this.position + 1);
  }

  private async tail(fromSequence: number): Promise<void> {
    const items = this.reader.read({ fromSequence, follow: true })[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<ReadItem>> | undefined;
    let reason = 'the stream ended';
    try {
      for (;;) {
        const current = (pending = items.next());
        const next = await new Promise<IteratorResult<ReadItem> | undefined>((resolve, reject) => {
          this.wake = resolve;
          if (this.stopped) resolve(undefined);
          else current.then(resolve, reject);
        });
        this.wake = undefined;
        if (!next) return;
        if (next.done) break;
        this.position = sequenceOf(next.value);
        if (next.value.ok) this.deliver(next.value.event);
      }
    } catch (error) {
      reason = (error as Error).message;
    } finally {
      // A followed read waits for the next event; once that settles, return() closes its consumer.
      pending?.catch(() => undefined);
      void items.return?.(undefined)?.catch(() => undefined);
    }
    // Everyone reconnects with their last sequence; the next subscription starts a fresh read.
    for (const listener of this.listeners) listener.fail(`live feed interrupted: ${reason}`);
    this.listeners.clear();
    this.running = undefined;
  }
}
