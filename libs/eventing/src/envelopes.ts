import {
  aggregateIdSchema,
  isValidatorSigned,
  signingBytes,
  newEventId,
  parseEnvelope,
  schemaVersionOf,
  type AggregateType,
  type EventDefinitionLookup,
  type EventEnvelope,
  type NewEvent,
  type Producer,
  type Signer,
} from '#contracts';
import { u8aToHex } from '@polkadot/util';
import { InvalidAggregateIdError, UnsignableEventError } from './errors.js';
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
  /** Signs validator-side events (evaluation, episode, weights) by their `data.validator`; without one they are appended unsigned. */
  signer?: Signer;
}

/**
 * The envelope signed by its validator's hotkey, once its aggregateVersion is set (the signature covers it). An
 * event of a validator the signer holds no key of is refused: appended, it would only ever be rejected.
 */
const signed = (envelope: EventEnvelope, signer: Signer | undefined): EventEnvelope => {
  if (!signer || !isValidatorSigned(envelope.aggregate)) return envelope;
  const validator = (envelope.data as { validator: string }).validator;
  const value = signer.sign(validator, signingBytes(envelope));
  if (!value) throw new UnsignableEventError(envelope.type, validator);
  return { ...envelope, signature: { signer: validator, value: u8aToHex(value) } };
};

/**
 * The envelopes of one append, every one validated before anything is stored (by every EventStore adapter alike):
 * an invalid event, or one whose payload names another aggregate than `aggregateId`, throws EventValidationError
 * (AggregateMismatchError). Each event is written at its definition's current schema version, the shape its payload
 * was validated against; the first event's id is the correlation id unless the caller gives one. Validator-side
 * events are signed last, over the envelope exactly as it will be stored.
 */
export const appendEnvelopes = (events: NewEvent[], options: AppendOptions, context: EnvelopeContext): EventEnvelope[] => {
  const { aggregate, aggregateId, baseVersion, producer, lookup, signer } = context;
  const occurredAt = context.occurredAt.toISOString();
  const ids = events.map((e) => e.eventId ?? newEventId());
  const correlationId = options.correlationId ?? ids[0]!;
  return events.map((event, i) =>
    signed(
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
      signer,
    ),
  );
};
