import { z } from 'zod';
import type { AggregateType, EventData, EventDataInput, EventType } from './catalogue.js';
import { aggregateIdSchema, positiveInt, uuidSchema } from './schemas.js';
import { text } from './text.js';

export const producerSchema = z.object({ app: text().min(1), version: text().min(1) });
export type Producer = z.infer<typeof producerSchema>;

export const envelopeSchema = z.object({
  eventId: uuidSchema,
  type: text().regex(/^[A-Z][A-Za-z0-9]+$/, 'must be PascalCase'),
  schemaVersion: positiveInt,
  aggregate: text().regex(/^[a-z][a-z-]*$/),
  aggregateId: aggregateIdSchema,
  aggregateVersion: positiveInt,
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: uuidSchema,
  causationId: uuidSchema.nullable(),
  producer: producerSchema,
  /** Checked key by key against the type's payload schema (which drops unknown keys); here it need only be an object. */
  data: z.looseObject({}),
});

interface EnvelopeFields<T extends EventType> {
  eventId: string;
  type: T;
  schemaVersion: number;
  aggregate: AggregateType;
  aggregateId: string;
  /** 1 for the aggregate's first event, then +1 per event. */
  aggregateVersion: number;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  producer: Producer;
}

export type EventEnvelopeOf<T extends EventType> = EnvelopeFields<T> & { data: EventData<T> };
/** Discriminated by `type`: narrowing on it types `data`. */
export type EventEnvelope = { [T in EventType]: EventEnvelopeOf<T> }[EventType];

/** What JetStream adds on read. */
export interface RecordedMeta {
  streamSequence: number;
  recordedAt: string;
}
export type RecordedEvent = EventEnvelope & RecordedMeta;
export type RecordedEventOf<T extends EventType> = EventEnvelopeOf<T> & RecordedMeta;

/** What a decider returns: the fact, without the envelope the store adds. */
export type NewEventOf<T extends EventType> = {
  type: T;
  data: EventDataInput<T>;
  /** Set by reactors (see deriveEventId) so a redelivered cause appends nothing twice. */
  eventId?: string;
};
export type NewEvent = { [T in EventType]: NewEventOf<T> }[EventType];

export const newEvent = <T extends EventType>(type: T, data: EventDataInput<T>, eventId?: string): NewEventOf<T> =>
  eventId ? { type, data, eventId } : { type, data };
