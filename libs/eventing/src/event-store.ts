import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager, type PubAck, type StoredMsg } from '@nats-io/jetstream';
import { headers, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
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
import { BATCH_ERRORS, publishAtomically } from './atomic-batch.js';
import { systemClock, type Clock } from './clock.js';
import type { ServerFeatures } from './features.js';
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
  /**
   * The connection to publish atomic batches on, given only when the server has them (`features.atomicBatch`,
   * 2.12+; the projector then applies the events stream with `allow_atomic`): an append of several events is then
   * stored whole or not at all. Absent (2.9), events are published one by one.
   */
  atomicBatches?: NatsConnection;
  /**
   * How long after the events stream refused a batch (no `allow_atomic`) appends go one by one before a batch is
   * tried again (the stream may be re-applied by a newer projector meanwhile); ATOMIC_RETRY_MS unless a test says
   * otherwise.
   */
  atomicRetryMs?: number;
  /** Told once each time the stream starts refusing atomic batches, and when it accepts them again. */
  logger?: { warn(message: string): void; log(message: string): void };
}

export interface AppendReport {
  /** Every event as stored, in order (for a duplicate: the copy stored first). */
  events: RecordedEvent[];
  /** Event ids JetStream already had (a retried append): stored once, not an error. */
  duplicates: string[];
}

/** The store option that turns atomic batches on, from a connection: only on a server that has them. */
export const atomicBatchesOf = (connection: { nc: NatsConnection; features: Pick<ServerFeatures, 'atomicBatch'> }): Pick<EventStoreOptions, 'atomicBatches'> =>
  connection.features.atomicBatch ? { atomicBatches: connection.nc } : {};

type Ack = Pick<PubAck, 'seq' | 'duplicate'>;

/** The event id a stored message claims (undefined if it is not an envelope): enough to tell our own retry apart. */
/** How long appends go one by one after the stream refused an atomic batch, before a batch is tried again. */
const ATOMIC_RETRY_MS = 60_000;

const eventIdOf = (msg: StoredMsg): unknown => {
  try {
    return msg.json<{ eventId?: unknown }>().eventId;
  } catch {
    return undefined;
  }
};

const isWrongLastSequence = (err: unknown): boolean => err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamWrongLastSequence;

/**
 * The event store on KINITRO_EVENTS. One subject per aggregate instance; optimistic concurrency through
 * `expect.lastSubjectSequence` (0 = the aggregate must not exist yet), idempotency through `Nats-Msg-Id` = eventId.
 * On a server with atomic batches an append of several events is one batch (all stored or none).
 * An aggregate id that is not one literal subject token is an InvalidAggregateIdError.
 */
export class JetStreamEventStore implements EventStore {
  private readonly clock: Clock;
  private readonly lookup: EventDefinitionLookup;
  /** When the stream last refused an atomic batch (clock milliseconds); undefined while it accepts them. */
  private batchesRefusedAt: number | undefined;

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
    const envelopes = appendEnvelopes(events, options, {
      aggregate,
      aggregateId,
      baseVersion,
      occurredAt: this.clock.now(),
      producer: this.options.producer,
      lookup: this.lookup,
      signer: this.options.signer,
    });
    const subject = this.options.topology.eventSubject(aggregate, aggregateId);
    const acks = await this.publishAll(subject, envelopes, options.expected).catch((error: unknown) => {
      if (!(error instanceof ConcurrencyError) || options.expected === 'any') throw error;
      return this.resumeRetry(subject, envelopes, options.expected, error);
    });
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

  private async publishAll(subject: string, envelopes: EventEnvelope[], expected: AggregatePosition | 'any'): Promise<Ack[]> {
    return (envelopes.length > 1 && (await this.publishBatch(subject, envelopes, expected))) || this.publishEach(subject, envelopes, expected);
  }

  /**
   * A conflict that may be this very append, retried after it was stored (its acknowledgement lost): newer servers
   * (2.15.1 here; 2.9 looks up the message id first) check the expected sequence before the duplicate window, so
   * they refuse such a retry as a conflict. If the events after the expected position are this append's first ones
   * and nothing else follows, they are its own: reported as duplicates, and the rest of it appended after them.
   */
  private async resumeRetry(subject: string, envelopes: EventEnvelope[], expected: AggregatePosition, conflict: ConcurrencyError): Promise<Ack[]> {
    const ours: Ack[] = [];
    for (let from = expected.lastSequence + 1; ours.length < envelopes.length;) {
      const next = await leaderGet(this.jsm, this.options.topology.eventsStream, { seq: from, next_by_subj: subject });
      if (!next) break;
      if (eventIdOf(next) !== envelopes[ours.length]!.eventId) throw conflict;
      ours.push({ seq: next.seq, duplicate: true });
      from = next.seq + 1;
    }
    if (ours.length === 0) throw conflict;
    if (ours.length === envelopes.length) return ours;
    const position = { version: expected.version + ours.length, lastSequence: ours.at(-1)!.seq };
    return [...ours, ...(await this.publishAll(subject, envelopes.slice(ours.length), position))];
  }

  /**
   * One publish per event, each expecting the previous one's sequence. A failure after the first (a conflict, an
   * outage, this process dying) leaves the earlier events of the append stored: what atomic batches prevent.
   */
  private async publishEach(subject: string, envelopes: EventEnvelope[], expected: AggregatePosition | 'any'): Promise<Ack[]> {
    const acks: PubAck[] = [];
    let lastSequence = expected === 'any' ? undefined : expected.lastSequence;
    for (const envelope of envelopes) {
      const ack = await this.publish(subject, envelope, lastSequence, expected);
      acks.push(ack);
      if (lastSequence !== undefined) lastSequence = ack.seq;
    }
    return acks;
  }

  /**
   * The append as one atomic batch, the expectation on its first event (the server checks it at the commit). Undefined
   * when the store publishes no batches, the stream refuses them, or the batch held an event id stored already (a
   * retry of an append that was stored: the server then stores none of it), so that one-by-one publishing reports
   * the duplicates as always.
   */
  private async publishBatch(subject: string, envelopes: EventEnvelope[], expected: AggregatePosition | 'any'): Promise<Ack[] | undefined> {
    const nc = this.options.atomicBatches;
    const now = this.clock.now().getTime();
    const retryMs = this.options.atomicRetryMs ?? ATOMIC_RETRY_MS;
    if (!nc || (this.batchesRefusedAt !== undefined && now - this.batchesRefusedAt < retryMs)) return undefined;
    const messages = envelopes.map((envelope, i) => ({
      subject,
      data: encodeEnvelope(envelope),
      headers: this.headersOf(envelope, i === 0 && expected !== 'any' ? expected.lastSequence : undefined),
    }));
    try {
      const acks = (await publishAtomically(nc, messages)).map((seq) => ({ seq, duplicate: false }));
      if (this.batchesRefusedAt !== undefined) this.options.logger?.log(`${this.options.topology.eventsStream} accepts atomic batches again`);
      this.batchesRefusedAt = undefined;
      return acks;
    } catch (cause) {
      if (!(cause instanceof JetStreamApiError)) throw this.appendError(envelopes[0]!, subject, expected, cause);
      if (cause.code === BATCH_ERRORS.duplicateMessageId) return undefined;
      if (cause.code !== BATCH_ERRORS.disabled) throw this.appendError(envelopes[0]!, subject, expected, cause);
      // A stream applied without allow_atomic (by a projector older than the server) keeps the append working, one by one.
      if (this.batchesRefusedAt === undefined) {
        this.options.logger?.warn(
          `${this.options.topology.eventsStream} refuses atomic batches (no allow_atomic: applied by an older projector?): appends of several events go one by one, so a failure midway can leave the first ones stored; trying a batch again every ${retryMs / 1000} s`,
        );
      }
      this.batchesRefusedAt = now;
      return undefined;
    }
  }

  private headersOf(envelope: EventEnvelope, lastSubjectSequence: number | undefined): MsgHdrs {
    const h = headers();
    h.set(EVENT_TYPE_HEADER, envelope.type);
    h.set('Nats-Msg-Id', envelope.eventId);
    if (lastSubjectSequence !== undefined) h.set('Nats-Expected-Last-Subject-Sequence', String(lastSubjectSequence));
    return h;
  }

  private appendError(envelope: EventEnvelope, subject: string, expected: AggregatePosition | 'any', cause: unknown): Error {
    if (expected !== 'any' && isWrongLastSequence(cause)) return new ConcurrencyError(envelope.aggregate, envelope.aggregateId, expected, { cause });
    return new EventStoreError(`cannot append ${envelope.type} to ${subject}: ${(cause as Error).message}`, { cause });
  }

  private async publish(
    subject: string,
    envelope: EventEnvelope,
    lastSubjectSequence: number | undefined,
    expected: AggregatePosition | 'any',
  ): Promise<PubAck> {
    try {
      return await this.js.publish(subject, encodeEnvelope(envelope), { headers: this.headersOf(envelope, lastSubjectSequence) });
    } catch (cause) {
      throw this.appendError(envelope, subject, expected, cause);
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
