import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { EventStoreError } from './errors.js';

/**
 * Opens a KV bucket, creating it if it does not exist yet (history 1: leases compare-and-set on the revision,
 * snapshots keep only the latest). Used for the namespace's lease and snapshot buckets, which hold nothing the log
 * cannot rebuild or a process cannot take again, so any app may create them.
 */
export const openBucket = async (js: JetStreamClient, name: string, { replicas }: { replicas: number }): Promise<KV> => {
  try {
    return await new Kvm(js).create(name, { history: 1, replicas });
  } catch (cause) {
    throw new EventStoreError(`cannot open KV bucket ${name}: ${(cause as Error).message}`, { cause });
  }
};
