import { decodeRecorded, eventDefinition, EVENT_TYPE_HEADER, type EventDefinitionLookup, type RecordedEvent, type StoredAt } from '#contracts/decoding';
import type { ReadItem, ReadOptions } from './ports.js';

/** The part of a JetStream message (consumed or fetched directly) that a recorded event is made of. */
export interface StoredBytes {
  seq: number;
  time: Date;
  subject: string;
  data: Uint8Array;
}

/** Both read paths (consumers and direct gets) format `recordedAt` the same way, so replays are identical. */
const storedAt = (msg: StoredBytes): StoredAt => ({ streamSequence: msg.seq, recordedAt: msg.time.toISOString(), subject: msg.subject });

/** Throws a typed contracts error for a poison message, including one published on a subject its envelope disowns. */
export const decodeStored = (msg: StoredBytes, lookup: EventDefinitionLookup = eventDefinition): RecordedEvent =>
  decodeRecorded(msg.data, storedAt(msg), lookup);

/** A poison message becomes an ok:false item: a reader never throws for bad content. */
export const toReadItem = (msg: StoredBytes, lookup: EventDefinitionLookup = eventDefinition): ReadItem => {
  try {
    return { ok: true, event: decodeStored(msg, lookup) };
  } catch (error) {
    return { ok: false, ...storedAt(msg), error: error as Error, raw: msg.data };
  }
};

/**
 * `ReadOptions.types` as a predicate on a message's event-type header (undefined: keep everything). Only a header
 * naming another type skips a message: one without the header was published past the store and is decoded as usual.
 */
export const skipByTypeHeader = (types: ReadOptions['types']): ((header: string | undefined) => boolean) | undefined => {
  if (types === undefined) return undefined;
  const wanted = new Set<string>(types);
  return (header) => header !== undefined && header !== '' && !wanted.has(header);
};

export const typeHeaderOf = (headers: { get(key: string): string } | undefined): string | undefined => headers?.get(EVENT_TYPE_HEADER);
