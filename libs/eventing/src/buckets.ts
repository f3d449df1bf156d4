import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { EventStoreError } from './errors.js';

/** How long the marker a TTL'd key leaves when the server removes it is kept (watchers see the removal). */
const REMOVAL_MARKER_TTL_MS = 60_000;

/**
 * Opens a KV bucket, creating it if it does not exist yet (history 1: leases compare-and-set on the revision,
 * snapshots keep only the latest). Used for the namespace's lease and snapshot buckets, which hold nothing the log
 * cannot rebuild or a process cannot take again, so any app may create them. `perMessageTtl` (only where the server
 * has it, 2.11+) lets writers give keys a TTL (`allow_msg_ttl`).
 */
export const openBucket = async (
  js: JetStreamClient,
  name: string,
  { replicas, perMessageTtl = false }: { replicas: number; perMessageTtl?: boolean },
): Promise<KV> => {
  try {
    return await new Kvm(js).create(name, { history: 1, replicas, ...(perMessageTtl && { markerTTL: REMOVAL_MARKER_TTL_MS }) });
  } catch (cause) {
    throw new EventStoreError(`cannot open KV bucket ${name}: ${(cause as Error).message}`, { cause });
  }
};
