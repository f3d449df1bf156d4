import type { AggregateType, EventType, NewEvent, RecordedEvent } from '#contracts';

/** Where an aggregate stood when it was loaded: the token for optimistic concurrency. */
export interface AggregatePosition {
  /** Number of events in the aggregate (0 = does not exist). */
  version: number;
  /** Stream sequence of its last event (0 = none): what `expect.lastSubjectSequence` compares. */
  lastSequence: number;
}

export interface LoadedAggregate extends AggregatePosition {
  events: RecordedEvent[];
}

export interface AppendOptions {
  /** The position the decision was based on. `'any'` appends without a concurrency check (single-writer facts). */
  expected: AggregatePosition | 'any';
  correlationId?: string;
  causationId?: string | null;
}

export interface EventStore {
  /**
   * Validates every payload, then appends in order. Throws ConcurrencyError if the aggregate moved,
   * InvalidAggregateIdError (here and in `load`) for an id that is not one subject token.
   */
  append(aggregate: AggregateType, aggregateId: string, events: NewEvent[], options: AppendOptions): Promise<RecordedEvent[]>;
  load(aggregate: AggregateType, aggregateId: string): Promise<LoadedAggregate>;
}

/** One message read from the events stream: a valid event, or a poison message with the reason. */
export type ReadItem =
  { ok: true; event: RecordedEvent } | { ok: false; streamSequence: number; subject: string; recordedAt: string; error: Error; raw: Uint8Array };

export interface ReadOptions {
  /** First stream sequence to read (inclusive); 1 reads everything. */
  fromSequence: number;
  /** Stop after this sequence (inclusive). */
  toSequence?: number;
  /** Stop at the first event recorded after this instant. */
  until?: Date;
  /** Keep waiting for new events after reaching the end (live tail) instead of finishing. */
  follow?: boolean;
  /**
   * Only events of these types: a message whose event-type header names another type is skipped before it is
   * decoded (no JSON, no zod), so a process manager folding a few types does not pay for the rest of the log.
   * A message without the header (published past the store) is decoded and yielded as usual, poison or not.
   */
  types?: readonly EventType[];
}

/** A bounded read (it ends at the end of the stream as it then is) in batches. */
export interface BatchReadOptions extends Omit<ReadOptions, 'follow' | 'types'> {
  maxSize: number;
}

export interface EventReader {
  /** Stream order, no gaps, no duplicates: what projections and replays depend on. */
  read(options: ReadOptions): AsyncIterable<ReadItem>;
  /**
   * The same items as `read`, in batches of `maxSize` (the last one shorter). A reader that offers it reads faster
   * this way (OffloadedEventReader: in a worker thread, the next batch while the caller works on the current one).
   */
  readBatches?(options: BatchReadOptions): AsyncIterable<ReadItem[]>;
  /** Sequence of the last message in the stream (0 if empty). */
  lastSequence(): Promise<number>;
}
