import { z } from 'zod';
import type { AggregateType, EventData, EventDataInput, EventType } from './catalogue.js';
import { aggregateIdSchema, positiveInt, ss58Schema, uuidSchema } from './schemas.js';
import { text } from './text.js';

export const producerSchema = z.object({ app: text().min(1), version: text().min(1) });
export type Producer = z.infer<typeof producerSchema>;

/** sr25519 signature of an envelope's signing bytes (see signing.ts) by `signer`'s key, hex with 0x. */
export const envelopeSignatureSchema = z.object({
  signer: ss58Schema,
  value: z.string().regex(/^0x[0-9a-f]{128}$/, 'must be a 64-byte signature, 0x-prefixed lowercase hex'),
});
export type EnvelopeSignature = z.infer<typeof envelopeSignatureSchema>;

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
  /** Present on validator-side events (evaluation, episode, weights): who signed, and the signature. Optional in the contract; the judge (libs/domain/src/validation) decides what an unsigned one is worth. */
  signature: envelopeSignatureSchema.optional(),
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
  /** Validator-side events carry one, added by the store on append (signing.ts). */
  signature?: EnvelopeSignature;
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
