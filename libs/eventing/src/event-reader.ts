import type { JetStreamClient, JetStreamManager, JsMsg, StoredMsg } from '@nats-io/jetstream';
import { eventDefinition, type EventDefinitionLookup, type Topology } from '#contracts';
import { EventStoreError } from './errors.js';
import { readOrdered } from './ordered-read.js';
import type { EventReader, ReadItem, ReadOptions } from './ports.js';
import { skipByTypeHeader, toReadItem, typeHeaderOf } from './recorded.js';

/**
 * Bounded reads up to this many sequences are served by direct gets, one per sequence, a window of them in
 * flight: no consumer is created, so an API answering many small reads (audit pages, a WebSocket client's
 * catch-up, window by window) costs the server no consumer churn. Batched direct gets need NATS 2.11; 2.9 has these.
 */
export const DIRECT_READ_MAX = 1000;
const DIRECT_IN_FLIGHT = 64;

/** Reads the whole events stream in order: what projections, replays and the live feed are built on. */
export class JetStreamEventReader implements EventReader {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
    /** The event definitions messages are decoded with: the catalogue unless a test stands in for another build. */
    private readonly lookup: EventDefinitionLookup = eventDefinition,
  ) {}

  read(options: ReadOptions): AsyncIterable<ReadItem> {
    const { fromSequence, toSequence, follow, types, ...bounds } = options;
    if (!follow && toSequence !== undefined && toSequence - fromSequence < DIRECT_READ_MAX) return this.readDirect(options);
    const skipType = skipByTypeHeader(types);
    const skip = skipType && ((msg: JsMsg) => skipType(typeHeaderOf(msg.headers)));
    return readOrdered(
      this.js,
      this.jsm,
      { stream: this.topology.eventsStream, fromSequence, toSequence, follow, ...bounds, ...(skip ? { skip } : {}) },
      (msg) => toReadItem(msg, this.lookup),
    );
  }

  async lastSequence(): Promise<number> {
    try {
      return (await this.jsm.streams.info(this.topology.eventsStream)).state.last_seq;
    } catch (cause) {
      throw new EventStoreError(`cannot read the end of ${this.topology.eventsStream}`, { cause });
    }
  }

  /** Ends at the first sequence past the end of the stream (the log is never deleted from, so there are no holes). */
  private async *readDirect({ fromSequence, toSequence, until, types }: ReadOptions): AsyncGenerator<ReadItem> {
    const skipType = skipByTypeHeader(types);
    const get = (seq: number): Promise<StoredMsg | null> =>
      this.jsm.direct.getMessage(this.topology.eventsStream, { seq }).catch((cause: unknown) => {
        throw new EventStoreError(`cannot read sequence ${seq} of ${this.topology.eventsStream}`, { cause });
      });
    for (let start = Math.max(1, fromSequence); start <= toSequence!; start += DIRECT_IN_FLIGHT) {
      const end = Math.min(start + DIRECT_IN_FLIGHT - 1, toSequence!);
      const window = Array.from({ length: end - start + 1 }, (_, i) => get(start + i));
      // Every request is awaited (settled) before returning, so none rejects unobserved.
      const messages = await Promise.all(window);
      for (const msg of messages) {
        if (!msg || (until && msg.time > until)) return;
        if (!skipType?.(typeHeaderOf(msg.header))) yield toReadItem(msg, this.lookup);
      }
    }
  }
}
