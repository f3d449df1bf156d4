import {
  aggregateIdSchema,
  newEventId,
  parseEnvelope,
  schemaVersionOf,
  type AggregateType,
  type EventDefinitionLookup,
  type EventEnvelope,
  type NewEvent,
  type Producer,
} from '#contracts';
import { InvalidAggregateIdError } from './errors.js';
import type { AppendOptions } from './ports.js';

/** The id becomes a subject token: anything else (a wildcard, a dot) would read or write other aggregates. */
export const requireAggregateId = (aggregate: AggregateType, aggregateId: string): void => {
  const parsed = aggregateIdSchema.safeParse(aggregateId);
  if (!parsed.success) throw new InvalidAggregateIdError(aggregate, aggregateId, parsed.error.issues.map((i) => i.message).join('; '));
};

export interface EnvelopeContext {
  aggregate: AggregateType;
  aggregateId: string;
  /** The aggregate's version before these events. */
  baseVersion: number;
  occurredAt: Date;
  producer: Producer;
  lookup: EventDefinitionLookup;
}

/**
 * The envelopes of one append, every one validated before anything is stored (by every EventStore adapter alike):
 * an invalid event, or one whose payload names another aggregate than `aggregateId`, throws EventValidationError
 * (AggregateMismatchError). Each event is written at its definition's current schema version, the shape its payload
 * was validated against; the first event's id is the correlation id unless the caller gives one.
 */
export const appendEnvelopes = (events: NewEvent[], options: AppendOptions, context: EnvelopeContext): EventEnvelope[] => {
  const { aggregate, aggregateId, baseVersion, producer, lookup } = context;
  const occurredAt = context.occurredAt.toISOString();
  const ids = events.map((e) => e.eventId ?? newEventId());
  const correlationId = options.correlationId ?? ids[0]!;
  return events.map((event, i) =>
    parseEnvelope(
      {
        eventId: ids[i],
        type: event.type,
        schemaVersion: schemaVersionOf(event.type, lookup),
        aggregate,
        aggregateId,
        aggregateVersion: baseVersion + i + 1,
        occurredAt,
        correlationId,
        causationId: options.causationId ?? null,
        producer,
        data: event.data,
      },
      { lookup },
    ),
  );
};
