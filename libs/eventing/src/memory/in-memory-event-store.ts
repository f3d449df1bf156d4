import {
  encodeEnvelope,
  eventDefinition,
  EVENT_TYPE_HEADER,
  topology,
  type AggregateType,
  type EventDefinitionLookup,
  type EventEnvelope,
  type NewEvent,
  type Producer,
  type Signer,
  type RecordedEvent,
  type Topology,
} from '#contracts';
import { systemClock, type Clock } from '../clock.js';
import { appendEnvelopes, requireAggregateId } from '../envelopes.js';
import { ConcurrencyError, EventStoreError, UnreadableHistoryError } from '../errors.js';
import type { AppendReport } from '../event-store.js';
import type { AppendOptions, EventStore, LoadedAggregate } from '../ports.js';
import { decodeStored } from '../recorded.js';
import { InMemoryEventLog, WrongLastSequenceError, type PublishAck } from './in-memory-log.js';

export interface InMemoryEventStoreOptions {
  producer: Producer;
  /** Where `occurredAt` comes from (the log's own clock stamps `recordedAt`). */
  clock?: Clock;
  lookup?: EventDefinitionLookup;
  /** Signs the validator-side events this store appends (the validator's hotkey); none: they are appended unsigned. */
  signer?: Signer;
  /** Subjects are named as in this namespace; "kinitro" by default. */
  topology?: Topology;
}

/**
 * The EventStore port over an InMemoryEventLog, for fast tests of whatever appends and loads: the same validation,
 * envelopes, optimistic concurrency on the aggregate's subject, duplicate handling and errors as JetStreamEventStore
 * (one contract suite, `testing/event-log.contract.ts`, runs against both).
 */
export class InMemoryEventStore implements EventStore {
  private readonly clock: Clock;
  private readonly lookup: EventDefinitionLookup;
  readonly topology: Topology;

  constructor(
    readonly log: InMemoryEventLog,
    private readonly options: InMemoryEventStoreOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.lookup = options.lookup ?? eventDefinition;
    this.topology = options.topology ?? topology();
  }

  async append(aggregate: AggregateType, aggregateId: string, events: NewEvent[], options: AppendOptions): Promise<RecordedEvent[]> {
    return (await this.appendWithReport(aggregate, aggregateId, events, options)).events;
  }

  async appendWithReport(aggregate: AggregateType, aggregateId: string, events: NewEvent[], options: AppendOptions): Promise<AppendReport> {
    requireAggregateId(aggregate, aggregateId);
    const subject = this.topology.eventSubject(aggregate, aggregateId);
    const baseVersion = options.expected === 'any' ? this.currentVersion(subject) : options.expected.version;
    const envelopes = appendEnvelopes(events, options, {
      aggregate,
      aggregateId,
      baseVersion,
      occurredAt: this.clock.now(),
      producer: this.options.producer,
      lookup: this.lookup,
      signer: this.options.signer,
    });
    // As on JetStream: one publish per event, each expecting the previous one's sequence; a conflict on a later event
    // leaves the earlier ones stored.
    const acks: PublishAck[] = [];
    let lastSequence = options.expected === 'any' ? undefined : options.expected.lastSequence;
    for (const envelope of envelopes) {
      const ack = this.publish(subject, envelope, lastSequence, options);
      acks.push(ack);
      if (lastSequence !== undefined) lastSequence = ack.seq;
    }
    return {
      events: acks.map((ack) => decodeStored(this.log.at(ack.seq)!, this.lookup)),
      duplicates: envelopes.filter((_, i) => acks[i]!.duplicate).map((e) => e.eventId),
    };
  }

  async load(aggregate: AggregateType, aggregateId: string): Promise<LoadedAggregate> {
    requireAggregateId(aggregate, aggregateId);
    const events = this.log.on(this.topology.eventSubject(aggregate, aggregateId)).map((msg) => {
      try {
        return decodeStored(msg, this.lookup);
      } catch (invalid) {
        throw new UnreadableHistoryError(aggregate, aggregateId, msg.seq, (invalid as Error).message);
      }
    });
    const last = events.at(-1);
    return { events, version: last?.aggregateVersion ?? 0, lastSequence: last?.streamSequence ?? 0 };
  }

  private publish(subject: string, envelope: EventEnvelope, lastSubjectSequence: number | undefined, options: AppendOptions): PublishAck {
    try {
      return this.log.publish(subject, encodeEnvelope(envelope), {
        msgId: envelope.eventId,
        headers: { [EVENT_TYPE_HEADER]: envelope.type },
        ...(lastSubjectSequence === undefined ? {} : { lastSubjectSequence }),
      });
    } catch (cause) {
      if (options.expected !== 'any' && cause instanceof WrongLastSequenceError) {
        throw new ConcurrencyError(envelope.aggregate, envelope.aggregateId, options.expected, { cause });
      }
      throw cause;
    }
  }

  /** For `'any'` appends: number after the subject's last event; a poison message there is an EventStoreError, as on JetStream. */
  private currentVersion(subject: string): number {
    const last = this.log.lastOn(subject);
    if (!last) return 0;
    try {
      return decodeStored(last, this.lookup).aggregateVersion;
    } catch (cause) {
      throw new EventStoreError(`cannot read the last event on ${subject}: ${(cause as Error).message}`, { cause });
    }
  }
}
