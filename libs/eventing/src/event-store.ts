import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager, type PubAck } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import {
  encodeEnvelope,
  eventDefinition,
  EVENT_TYPE_HEADER,
  type AggregateType,
  type EventDefinitionLookup,
  type EventEnvelope,
  type NewEvent,
  type Producer,
  type Signer,
  type RecordedEvent,
  type Topology,
} from '#contracts';
import { systemClock, type Clock } from './clock.js';
import { appendEnvelopes, requireAggregateId } from './envelopes.js';
import { ConcurrencyError, EventStoreError, UnreadableHistoryError } from './errors.js';
import { leaderGet } from './leader-get.js';
import { readOrdered } from './ordered-read.js';
import type { AggregatePosition, AppendOptions, EventStore, LoadedAggregate } from './ports.js';
import { readLastEvent } from './last-event.js';
import { decodeStored } from './recorded.js';

export interface EventStoreOptions {
  topology: Topology;
  producer: Producer;
  clock?: Clock;
  /** The event definitions appends are validated against and reads decoded with: the catalogue unless a test says otherwise. */
  lookup?: EventDefinitionLookup;
  /** Signs the validator-side events this store appends (the validator's hotkey); none: they are appended unsigned. */
  signer?: Signer;
}

export interface AppendReport {
  /** Every event as stored, in order (for a duplicate: the copy stored first). */
  events: RecordedEvent[];
  /** Event ids JetStream already had (a retried append): stored once, not an error. */
  duplicates: string[];
}

const isWrongLastSequence = (err: unknown): boolean =>
  err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamWrongLastSequence;

/**
 * The event store on KINITRO_EVENTS. One subject per aggregate instance; optimistic concurrency through
 * `expect.lastSubjectSequence` (0 = the aggregate must not exist yet), idempotency through `Nats-Msg-Id` = eventId.
 * An aggregate id that is not one literal subject token is an InvalidAggregateIdError.
 */
export class JetStreamEventStore implements EventStore {
  private readonly clock: Clock;
  private readonly lookup: EventDefinitionLookup;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: EventStoreOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.lookup = options.lookup ?? eventDefinition;
  }

  async append(aggregate: AggregateType, aggregateId: string, events: NewEvent[], options: AppendOptions): Promise<RecordedEvent[]> {
    return (await this.appendWithReport(aggregate, aggregateId, events, options)).events;
  }

  async appendWithReport(aggregate: AggregateType, aggregateId: string, events: NewEvent[], options: AppendOptions): Promise<AppendReport> {
    requireAggregateId(aggregate, aggregateId);
    const baseVersion = options.expected === 'any' ? await this.currentVersion(aggregate, aggregateId) : options.expected.version;
    const envelopes = appendEnvelopes(events, options, { aggregate, aggregateId, baseVersion, occurredAt: this.clock.now(), producer: this.options.producer, lookup: this.lookup, signer: this.options.signer });
    const subject = this.options.topology.eventSubject(aggregate, aggregateId);
    // One publish per event, each expecting the previous one's sequence. Without atomic batches (2.12+, not used
    // while we target 2.9) a conflict on a later event leaves the earlier ones of this append stored.
    const acks: PubAck[] = [];
    let lastSequence = options.expected === 'any' ? undefined : options.expected.lastSequence;
    for (const envelope of envelopes) {
      const ack = await this.publish(subject, envelope, lastSequence, options.expected);
      acks.push(ack);
      if (lastSequence !== undefined) lastSequence = ack.seq;
    }
    return {
      events: await Promise.all(acks.map((ack) => this.fetch(ack.seq))),
      duplicates: envelopes.filter((_, i) => acks[i]!.duplicate).map((e) => e.eventId),
    };
  }

  async load(aggregate: AggregateType, aggregateId: string): Promise<LoadedAggregate> {
    requireAggregateId(aggregate, aggregateId);
    const events: RecordedEvent[] = [];
    try {
      for await (const msg of readOrdered(this.js, this.jsm, {
        stream: this.options.topology.eventsStream,
        filterSubject: this.options.topology.eventSubject(aggregate, aggregateId),
        fromSequence: 1,
      })) {
        try {
          events.push(decodeStored(msg, this.lookup));
        } catch (invalid) {
          throw new UnreadableHistoryError(aggregate, aggregateId, msg.seq, (invalid as Error).message);
        }
      }
    } catch (cause) {
      if (cause instanceof UnreadableHistoryError) throw cause;
      throw new EventStoreError(`cannot load ${aggregate} ${aggregateId}: ${(cause as Error).message}`, { cause });
    }
    const last = events.at(-1);
    return { events, version: last?.aggregateVersion ?? 0, lastSequence: last?.streamSequence ?? 0 };
  }

  private async publish(subject: string, envelope: EventEnvelope, lastSubjectSequence: number | undefined, expected: AggregatePosition | 'any'): Promise<PubAck> {
    const h = headers();
    h.set(EVENT_TYPE_HEADER, envelope.type);
    try {
      return await this.js.publish(subject, encodeEnvelope(envelope), {
        msgID: envelope.eventId,
        headers: h,
        ...(lastSubjectSequence === undefined ? {} : { expect: { lastSubjectSequence } }),
      });
    } catch (cause) {
      if (expected !== 'any' && isWrongLastSequence(cause)) {
        throw new ConcurrencyError(envelope.aggregate, envelope.aggregateId, expected, { cause });
      }
      throw new EventStoreError(`cannot append ${envelope.type} to ${subject}: ${(cause as Error).message}`, { cause });
    }
  }

  /** For `'any'` appends (single-writer facts): number the new events after the aggregate's last one. */
  private async currentVersion(aggregate: AggregateType, aggregateId: string): Promise<number> {
    const { eventsStream, eventSubject } = this.options.topology;
    return (await readLastEvent(this.jsm, eventsStream, eventSubject(aggregate, aggregateId), this.lookup))?.aggregateVersion ?? 0;
  }

  /** From the leader: a replica may not have the message yet. The stored copy, not our envelope: a duplicate is the first one's. */
  private async fetch(seq: number): Promise<RecordedEvent> {
    try {
      const stored = await leaderGet(this.jsm, this.options.topology.eventsStream, { seq });
      if (!stored) throw new Error(`sequence ${seq} is missing`);
      return decodeStored(stored, this.lookup);
    } catch (cause) {
      throw new EventStoreError(`cannot read back event ${seq}: ${(cause as Error).message}`, { cause });
    }
  }
}
