import { Inject, Injectable } from '@nestjs/common';
import { eventCatalogue, type AggregateType, type RecordedEvent } from '#contracts';
import { DomainError } from '#domain';
import { EVENT_READER, EVENT_STORE, type EventReader, type EventStore } from '#eventing';
import type { EventsQuery } from './events.query.js';

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

const aggregates = new Set<string>(eventCatalogue.map((d) => d.aggregate));

/** The event log as auditors read it: by stream sequence, or one aggregate's whole history. */
@Injectable()
export class EventsService {
  constructor(
    @Inject(EVENT_READER) private readonly reader: EventReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async window({ fromSequence, limit, type }: EventsQuery): Promise<EventsPage> {
    const items: RecordedEvent[] = [];
    const poison: PoisonEntry[] = [];
    let nextSequence = fromSequence;
    for await (const item of this.reader.read({ fromSequence, toSequence: fromSequence + limit - 1 })) {
      if (item.ok) {
        nextSequence = item.event.streamSequence + 1;
        if (!type || item.event.type === type) items.push(item.event);
      } else {
        nextSequence = item.streamSequence + 1;
        poison.push({ streamSequence: item.streamSequence, subject: item.subject, recordedAt: item.recordedAt, reason: item.error.message });
      }
    }
    return { items, poison, nextSequence, lastSequence: await this.reader.lastSequence() };
  }

  async history(aggregate: string, aggregateId: string) {
    if (!aggregates.has(aggregate)) {
      throw new DomainError('not_found', `unknown aggregate type "${aggregate}"; known: ${[...aggregates].join(', ')}`);
    }
    const loaded = await this.store.load(aggregate as AggregateType, aggregateId);
    if (loaded.version === 0) throw new DomainError('not_found', `${aggregate} ${aggregateId} has no events`);
    return { aggregate, aggregateId, version: loaded.version, items: loaded.events };
  }
}
