import type { JetStreamManager } from '@nats-io/jetstream';
import type { EventDefinitionLookup, RecordedEvent } from '#contracts';
import { EventStoreError } from './errors.js';
import { leaderGet } from './leader-get.js';
import { decodeStored } from './recorded.js';

/**
 * The last event on a subject (wildcards allowed), with one leader-served get however long the history is, or
 * undefined when there is none. It feeds concurrency checks and cursors, so a replica's stale answer will not do.
 * A poison message there is an EventStoreError: the caller cannot decide on it.
 */
export const readLastEvent = async (
  jsm: JetStreamManager,
  stream: string,
  subject: string,
  lookup?: EventDefinitionLookup,
): Promise<RecordedEvent | undefined> => {
  try {
    const stored = await leaderGet(jsm, stream, { last_by_subj: subject });
    return stored ? decodeStored(stored, lookup) : undefined;
  } catch (cause) {
    throw new EventStoreError(`cannot read the last event on ${subject}: ${(cause as Error).message}`, { cause });
  }
};
