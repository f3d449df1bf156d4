import type { EventReader, ReadItem, ReadOptions } from '../ports.js';
import { skipByTypeHeader, toReadItem } from '../recorded.js';
import { EVENT_TYPE_HEADER } from '#contracts';
import type { InMemoryEventLog } from './in-memory-log.js';

/**
 * The EventReader port over an InMemoryEventLog: stream order, poison messages as ok:false items, `until` against
 * each message's recorded time, the type filter by header, and `follow` waiting for the next publish, as
 * JetStreamEventReader does (the contract suite runs against both).
 */
export class InMemoryEventReader implements EventReader {
  constructor(private readonly log: InMemoryEventLog) {}

  async *read({ fromSequence, toSequence, until, follow = false, types }: ReadOptions): AsyncGenerator<ReadItem> {
    const skip = skipByTypeHeader(types);
    for (let seq = Math.max(1, fromSequence); toSequence === undefined || seq <= toSequence; seq++) {
      let msg = this.log.at(seq);
      while (!msg && follow) {
        await this.log.nextPublish();
        msg = this.log.at(seq);
      }
      if (!msg || (until && msg.time > until)) return;
      if (!skip?.(msg.headers.get(EVENT_TYPE_HEADER))) yield toReadItem(msg);
    }
  }

  async lastSequence(): Promise<number> {
    return this.log.lastSequence;
  }
}
