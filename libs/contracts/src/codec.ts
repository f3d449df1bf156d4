import type { z } from 'zod';
import { eventDefinition } from './catalogue.js';
import type { EventDefinition } from './define.js';
import { envelopeSchema, type EventEnvelope, type RecordedEvent, type RecordedMeta } from './envelope.js';
import { AggregateMismatchError, EventValidationError, UnknownEventTypeError, UnsupportedSchemaVersionError, type ValidationIssue } from './errors.js';
import { expectedEventSubject } from './subjects.js';

/**
 * Where the codec finds an event type's definition. The catalogue in production; a test may pass one that knows
 * test-only types (a second schema version, say) without adding them to the catalogue.
 */
export type EventDefinitionLookup = (type: string) => EventDefinition | undefined;

const toIssues = (error: z.ZodError): ValidationIssue[] => error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

const definitionOf = (type: string, lookup: EventDefinitionLookup = eventDefinition): EventDefinition => {
  const def = lookup(type);
  if (!def) throw new UnknownEventTypeError(type);
  return def;
};

/** The schema version producers of `type` write: its definition's current one. */
export const schemaVersionOf = (type: string, lookup: EventDefinitionLookup = eventDefinition): number => definitionOf(type, lookup).schemaVersion;

/** Validates a payload a producer is about to append; returns it as stored (defaults applied, unknown keys dropped). */
export const validatePayload = (type: string, data: unknown, lookup: EventDefinitionLookup = eventDefinition): Record<string, unknown> => {
  const parsed = definitionOf(type, lookup).schema.safeParse(data);
  if (!parsed.success) throw new EventValidationError(type, toIssues(parsed.error));
  return parsed.data as Record<string, unknown>;
};

export const upcast = (def: EventDefinition, version: number, data: Record<string, unknown>): Record<string, unknown> => {
  if (version > def.schemaVersion) throw new UnsupportedSchemaVersionError(def.type, version, def.schemaVersion);
  let current = data;
  for (let v = version; v < def.schemaVersion; v++) current = def.upcasters[v]!(current);
  return current;
};

/** The aggregateId a payload of this definition belongs to: its key parts joined by ':' (e.g. `7:5Grw…` for a commitment). */
export const aggregateIdOf = (def: EventDefinition, data: unknown): string => def.aggregateKey(data).join(':');

// The first logs (golden-log.v1) joined composite keys with '-'. Stored events are never rewritten, so that form is
// still read; nothing writes it any more. The parts (numbers, SS58, uuids, slugs) never contain ':', and only the
// single-part slugs contain '-', so neither join is ambiguous.
const LEGACY_KEY_SEPARATOR = '-';

const requireAggregateAgreement = (def: EventDefinition, envelope: { aggregateId: string }, data: unknown, readingStored: boolean): void => {
  const parts = def.aggregateKey(data);
  const written = parts.join(':');
  if (envelope.aggregateId === written) return;
  if (readingStored && parts.length > 1 && envelope.aggregateId === parts.join(LEGACY_KEY_SEPARATOR)) return;
  throw new AggregateMismatchError(def.type, [
    { path: 'aggregateId', message: `the envelope names ${def.aggregate} "${envelope.aggregateId}" but the payload belongs to "${written}"` },
  ]);
};

export interface ParseOptions {
  lookup?: EventDefinitionLookup;
  /** A stored event (read side) rather than one about to be written: older forms the log may hold are accepted. */
  stored?: boolean;
}

/**
 * Validates a whole envelope (as read or about to be written), upcasting its payload to the latest version. The
 * envelope's aggregate must be its type's, and its aggregateId the one the payload names (AggregateMismatchError).
 */
export const parseEnvelope = (raw: unknown, { lookup = eventDefinition, stored = false }: ParseOptions = {}): EventEnvelope => {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    const type = typeof (raw as { type?: unknown })?.type === 'string' ? (raw as { type: string }).type : 'event';
    throw new EventValidationError(type, toIssues(envelope.error));
  }
  const def = definitionOf(envelope.data.type, lookup);
  if (envelope.data.aggregate !== def.aggregate) {
    throw new EventValidationError(def.type, [{ path: 'aggregate', message: `must be "${def.aggregate}"` }]);
  }
  const parsed = envelope.data;
  const data = validatePayload(def.type, upcast(def, parsed.schemaVersion, parsed.data), lookup);
  requireAggregateAgreement(def, parsed, data, stored);
  // zod's output is a fresh object of this call's own (never `raw`): upcast in place rather than copied, since
  // decoding is the largest cost of a replay (each copy of an envelope ~1 µs).
  parsed.schemaVersion = def.schemaVersion;
  parsed.data = data;
  return parsed as EventEnvelope;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const encodeEnvelope = (envelope: EventEnvelope): Uint8Array => encoder.encode(JSON.stringify(envelope));

/** Where a message was read: JetStream's position and time, and the subject it was published on. */
export interface StoredAt extends RecordedMeta {
  subject: string;
}

/**
 * Bytes from the stream → a typed, validated, upcast event. Throws a typed error for anything else, a poison message:
 * among them an event whose subject is not the one its envelope's aggregate and aggregateId give (AggregateMismatchError).
 */
export const decodeRecorded = (
  bytes: Uint8Array,
  { subject, streamSequence, recordedAt }: StoredAt,
  lookup: EventDefinitionLookup = eventDefinition,
): RecordedEvent => {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new EventValidationError('event', [{ path: '', message: `not UTF-8 JSON (${(cause as Error).message})` }]);
  }
  const envelope = parseEnvelope(raw, { lookup, stored: true });
  const expected = expectedEventSubject(subject, envelope.aggregate, envelope.aggregateId);
  if (subject !== expected) {
    throw new AggregateMismatchError(envelope.type, [
      { path: 'subject', message: `published on "${subject}" but the envelope names ${envelope.aggregate} "${envelope.aggregateId}" ("${expected}")` },
    ]);
  }
  // The envelope is parseEnvelope's own object: the position goes onto it, not onto a copy.
  const recorded = envelope as RecordedEvent;
  recorded.streamSequence = streamSequence;
  recorded.recordedAt = recordedAt;
  return recorded;
};
