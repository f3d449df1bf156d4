import type { RecordedEvent } from '#contracts';
import { DIRECT_READ_MAX, type EventReader } from '#eventing';
import { publicEvent } from '../auth/public-event.js';
import type { ServerMessage } from './server-messages.js';
import { matches } from './event-matcher.js';
import type { LiveHub, LiveListener } from './live-hub.js';
import type { SubscribeRequest } from './subscribe-request.js';

export type { ServerMessage };

export interface LiveSink {
  send(message: ServerMessage): void;
  /** The feed broke: the client should reconnect with its last sequence + 1. */
  fail(reason: string): void;
}

/**
 * One client's subscription. It attaches to the hub first (buffering what the hub delivers), then replays
 * `[fromSequence, end of stream]` with a finite read, then flushes the buffer. `cursor` (the last sequence
 * sent) drops whatever both paths saw, so the client gets every matching event once, in stream order.
 */
export class LiveSubscription implements LiveListener {
  private cursor = 0;
  private buffer: RecordedEvent[] | undefined = [];
  private stopped = false;

  constructor(
    private readonly hub: LiveHub,
    private readonly reader: EventReader,
    private readonly request: SubscribeRequest,
    private readonly sink: LiveSink,
    /** Called once the catch-up read is over (done, stopped or failed): gives back its history-read slot. */
    private readonly caughtUp: () => void = () => undefined,
  ) {}

  async run(): Promise<void> {
    try {
      await this.catchUpThenFollow();
    } finally {
      this.buffer = undefined;
      this.caughtUp();
    }
  }

  private async catchUpThenFollow(): Promise<void> {
    const position = await this.hub.attach(this);
    // Stopped while the hub was starting: stop() ran before the hub knew us, so detach here.
    if (this.stopped) return this.hub.detach(this);
    const fromSequence = this.request.fromSequence ?? position + 1;
    this.cursor = fromSequence - 1;
    this.sink.send({ op: 'subscribed', subscription: this.request.subscription, types: this.request.types, filters: this.request.filters, fromSequence });
    try {
      // Up to the hub's position, window by window: each window is bounded, so the reader serves it by direct gets.
      for (let from = fromSequence; from <= position; from += DIRECT_READ_MAX) {
        for await (const item of this.reader.read({ fromSequence: from, toSequence: Math.min(from + DIRECT_READ_MAX - 1, position) })) {
          if (this.stopped) return;
          if (item.ok) this.push(item.event);
        }
      }
    } finally {
      this.caughtUp();
    }
    const buffered = this.buffer ?? [];
    this.buffer = undefined;
    for (const event of buffered) this.push(event);
  }

  deliver(event: RecordedEvent): void {
    if (this.stopped) return;
    if (this.buffer) this.buffer.push(event);
    else this.push(event);
  }

  fail(reason: string): void {
    this.sink.fail(reason);
  }

  stop(): void {
    this.stopped = true;
    this.hub.detach(this);
  }

  private push(event: RecordedEvent): void {
    if (this.stopped || event.streamSequence <= this.cursor) return;
    this.cursor = event.streamSequence;
    // Matched on what is shown, so a filter cannot probe a field the feed withholds (a legacy key's sha256).
    const shown = publicEvent(event);
    if (matches(shown, this.request))
      this.sink.send({ op: 'event', subscription: this.request.subscription, streamSequence: event.streamSequence, event: shown });
  }
}
