import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { Topology } from '#contracts';
import { EventStoreError } from './errors.js';
import { readOrdered } from './ordered-read.js';
import type { EventReader, ReadItem, ReadOptions } from './ports.js';
import { decodeStored, recordedMeta } from './recorded.js';

/** A poison message becomes an ok:false item: the iterator never throws for bad content. */
const toReadItem = (msg: JsMsg): ReadItem => {
  try {
    return { ok: true, event: decodeStored(msg) };
  } catch (error) {
    return { ok: false, ...recordedMeta(msg), subject: msg.subject, error: error as Error, raw: msg.data };
  }
};

/** Reads the whole events stream in order: what projections, replays and the live feed are built on. */
export class JetStreamEventReader implements EventReader {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
  ) {}

  read(options: ReadOptions): AsyncIterable<ReadItem> {
    return readOrdered(this.js, this.jsm, { stream: this.topology.eventsStream, ...options }, toReadItem);
  }

  async lastSequence(): Promise<number> {
    try {
      return (await this.jsm.streams.info(this.topology.eventsStream)).state.last_seq;
    } catch (cause) {
      throw new EventStoreError(`cannot read the end of ${this.topology.eventsStream}`, { cause });
    }
  }
}
