import { Inject, Injectable } from '@nestjs/common';
import type { AggregateType, RecordedEvent } from '#contracts';
import { DomainError } from '#domain';
import { type EventReader, type EventStore, type ReadItem } from '#eventing';
import { EVENT_READER, EVENT_STORE } from '#eventing/nest';
import { RejectedEventsRepository, type Page, type PageRequest } from '#read-models';
import type { EventsQuery } from './events.query.js';
import { publicEvent } from '../auth/public-event.js';
import { HistoryReads } from './history-reads.js';
import type { RejectedEventDto } from './rejected-event.dto.js';
import { toRejectedEventDto } from './rejected-event.mapper.js';

export interface PoisonEntry {
  streamSequence: number;
  subject: string;
  recordedAt: string;
  reason: string;
}

export interface EventsPage {
  items: RecordedEvent[];
  /** Messages in the window that do not parse as events: auditors see them instead of a silent gap. */
  poison: PoisonEntry[];
  /** Where the next window starts; equal to lastSequence + 1 once the reader has caught up. */
  nextSequence: number;
  lastSequence: number;
}

const poisonEntry = (item: Extract<ReadItem, { ok: false }>): PoisonEntry => ({
  streamSequence: item.streamSequence,
  subject: item.subject,
  recordedAt: item.recordedAt,
  reason: item.error.message,
});

/** The event log as auditors read it: by stream sequence, or one aggregate's whole history; and what the projector rejected. */
@Injectable()
export class EventsService {
  constructor(
    @Inject(EVENT_READER) private readonly reader: EventReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly rejections: RejectedEventsRepository,
    private readonly historyReads: HistoryReads,
  ) {}

  /** A window of at most `limit` (≤ 1000) sequences, read by direct gets under the history-read caps. */
  window({ fromSequence, limit, type }: EventsQuery, client: string): Promise<EventsPage> {
    return this.historyReads.run(client, async () => {
      const lastSequence = await this.reader.lastSequence();
      const items: RecordedEvent[] = [];
      const poison: PoisonEntry[] = [];
      let nextSequence = fromSequence;
      const toSequence = Math.min(fromSequence + limit - 1, lastSequence);
      for await (const item of this.reader.read({ fromSequence, toSequence })) {
        if (item.ok) {
          nextSequence = item.event.streamSequence + 1;
          if (!type || item.event.type === type) items.push(publicEvent(item.event));
        } else {
          nextSequence = item.streamSequence + 1;
          poison.push(poisonEntry(item));
        }
      }
      return { items, poison, nextSequence, lastSequence };
    });
  }

  /** One message by sequence, with the projector's rejection of it if any. */
  async at(sequence: number) {
    let found: ReadItem | undefined;
    for await (const item of this.reader.read({ fromSequence: sequence, toSequence: sequence })) found = item;
    if (!found) throw new DomainError('not_found', `no message at sequence ${sequence}`);
    const rejected = await this.rejections.at(sequence);
    return {
      streamSequence: sequence,
      event: found.ok ? publicEvent(found.event) : null,
      poison: found.ok ? null : poisonEntry(found),
      rejected: rejected && toRejectedEventDto(rejected),
    };
  }

  async rejected(query: PageRequest): Promise<Page<RejectedEventDto>> {
    const page = await this.rejections.list(query);
    return { ...page, items: page.items.map(toRejectedEventDto) };
  }

  /** `aggregate` and `aggregateId` are checked at the edge (AGGREGATE, AGGREGATE_ID). */
  async history(aggregate: AggregateType, aggregateId: string) {
    const loaded = await this.store.load(aggregate, aggregateId);
    if (loaded.version === 0) throw new DomainError('not_found', `${aggregate} ${aggregateId} has no events`);
    return { aggregate, aggregateId, version: loaded.version, items: loaded.events.map(publicEvent) };
  }
}
