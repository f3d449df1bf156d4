import { decodeRecorded, eventDefinition, type EventDefinitionLookup, type RecordedEvent, type RecordedMeta } from '#contracts';

/** The part of a JetStream message (consumed or fetched directly) that a recorded event is made of. */
export interface StoredBytes {
  seq: number;
  time: Date;
  subject: string;
  data: Uint8Array;
}

/** Both read paths (consumers and direct gets) format `recordedAt` the same way, so replays are identical. */
export const recordedMeta = (msg: StoredBytes): RecordedMeta => ({ streamSequence: msg.seq, recordedAt: msg.time.toISOString() });

/** Throws a typed contracts error for a poison message, including one published on a subject its envelope disowns. */
export const decodeStored = (msg: StoredBytes, lookup: EventDefinitionLookup = eventDefinition): RecordedEvent =>
  decodeRecorded(msg.data, { ...recordedMeta(msg), subject: msg.subject }, lookup);
