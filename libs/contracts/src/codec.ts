import type { z } from 'zod';
import { eventDefinition } from './catalogue.js';
import type { EventDefinition } from './define.js';
import { envelopeSchema, type EventEnvelope, type RecordedEvent, type RecordedMeta } from './envelope.js';
import { EventValidationError, UnknownEventTypeError, UnsupportedSchemaVersionError, type ValidationIssue } from './errors.js';

const toIssues = (error: z.ZodError): ValidationIssue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

const definitionOf = (type: string): EventDefinition => {
  const def = eventDefinition(type);
  if (!def) throw new UnknownEventTypeError(type);
  return def;
};

/** Validates a payload a producer is about to append; returns it as stored (defaults applied, unknown keys dropped). */
export const validatePayload = (type: string, data: unknown): Record<string, unknown> => {
  const parsed = definitionOf(type).schema.safeParse(data);
  if (!parsed.success) throw new EventValidationError(type, toIssues(parsed.error));
  return parsed.data as Record<string, unknown>;
};

export const upcast = (def: EventDefinition, version: number, data: Record<string, unknown>): Record<string, unknown> => {
  if (version > def.schemaVersion) throw new UnsupportedSchemaVersionError(def.type, version, def.schemaVersion);
  let current = data;
  for (let v = version; v < def.schemaVersion; v++) current = def.upcasters[v]!(current);
  return current;
};

/** Validates a whole envelope (as read or about to be written), upcasting its payload to the latest version. */
export const parseEnvelope = (raw: unknown): EventEnvelope => {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    const type = typeof (raw as { type?: unknown })?.type === 'string' ? (raw as { type: string }).type : 'event';
    throw new EventValidationError(type, toIssues(envelope.error));
  }
  const def = definitionOf(envelope.data.type);
  if (envelope.data.aggregate !== def.aggregate) {
    throw new EventValidationError(def.type, [{ path: 'aggregate', message: `must be "${def.aggregate}"` }]);
  }
  const data = validatePayload(def.type, upcast(def, envelope.data.schemaVersion, envelope.data.data));
  return { ...envelope.data, schemaVersion: def.schemaVersion, data } as EventEnvelope;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const encodeEnvelope = (envelope: EventEnvelope): Uint8Array => encoder.encode(JSON.stringify(envelope));

/** Bytes from the stream → a typed, validated, upcast event. Throws a typed error for anything else: a poison message. */
export const decodeRecorded = (bytes: Uint8Array, meta: RecordedMeta): RecordedEvent => {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new EventValidationError('event', [{ path: '', message: `not UTF-8 JSON (${(cause as Error).message})` }]);
  }
  return { ...parseEnvelope(raw), ...meta } as RecordedEvent;
};
