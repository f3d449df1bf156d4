import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Topology } from '#contracts';
import { awaitReady, StartupError } from '#platform';
import { TopologyError } from './errors.js';
import type { ServerFeatures } from './features.js';

export interface TopologyOptions {
  /** 3 in production, 1 on a single server. */
  replicas: number;
  /** The server's (connection.features): the events stream allows atomic batches where the server has them. */
  features?: Pick<ServerFeatures, 'atomicBatch'>;
}

/** The part of a stream's configuration we own; everything else stays at the server's defaults. */
export type DesiredStream = Pick<
  StreamConfig,
  | 'name'
  | 'subjects'
  | 'retention'
  | 'storage'
  | 'max_age'
  | 'duplicate_window'
  | 'num_replicas'
  | 'deny_delete'
  | 'deny_purge'
  | 'allow_direct'
  | 'discard'
  | 'allow_atomic'
> & { description: string };

/** How long the streams remember a `Nats-Msg-Id`: a retried publish within it is stored once. */
export const DUPLICATE_WINDOW_MS = 2 * 60_000;
const DUPLICATE_WINDOW = nanos(DUPLICATE_WINDOW_MS);

/** The three streams of a namespace, as code. Pure: the same topology always yields the same configs. */
export const desiredStreams = (t: Topology, { replicas, features }: TopologyOptions): DesiredStream[] => [
  {
    name: t.eventsStream,
    description: 'Kinitro event log: the source of truth and the audit log (never expires, never deleted or purged).',
    subjects: [t.allEventsSubject],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: 0,
    duplicate_window: DUPLICATE_WINDOW,
    num_replicas: replicas,
    deny_delete: true,
    deny_purge: true,
    allow_direct: true,
    // Only where the server has them: 2.9 would drop the field, and every verification would then see drift.
    ...(features?.atomicBatch && { allow_atomic: true }),
  },
  {
    name: t.workStream,
    description: 'Kinitro work items derived from events; each is removed once acknowledged.',
    subjects: [t.allWorkSubject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: 0,
    duplicate_window: DUPLICATE_WINDOW,
    num_replicas: replicas,
    deny_delete: false,
    deny_purge: false,
    allow_direct: false,
  },
  {
    name: t.deadLetterStream,
    description: 'Kinitro dead letters: messages a consumer terminated, with the reason.',
    subjects: [`${t.namespace}.dlq.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: 0,
    duplicate_window: DUPLICATE_WINDOW,
    num_replicas: replicas,
    deny_delete: false,
    deny_purge: false,
    allow_direct: true,
  },
];

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `desired` that `current` does not match (empty: nothing to do). */
export const streamDrift = (desired: DesiredStream, current: Partial<StreamConfig>): (keyof DesiredStream)[] =>
  (Object.keys(desired) as (keyof DesiredStream)[]).filter((key) => !same(desired[key], current[key] ?? defaults[key]));

/** What the server reports for fields it leaves out when they hold their zero value. */
const defaults: Partial<Record<keyof DesiredStream, unknown>> = {
  deny_delete: false,
  deny_purge: false,
  allow_direct: false,
  allow_atomic: false,
  description: '',
};

export type StreamChange = 'created' | 'updated' | 'unchanged';

const isStreamNotFound = (err: unknown): boolean => err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;

const applyStream = async (jsm: JetStreamManager, desired: DesiredStream): Promise<StreamChange> => {
  let current: StreamConfig;
  try {
    current = (await jsm.streams.info(desired.name)).config;
  } catch (err) {
    if (!isStreamNotFound(err)) throw new TopologyError(`cannot read stream ${desired.name}`, { cause: err });
    try {
      await jsm.streams.add(desired);
      return 'created';
    } catch (cause) {
      throw new TopologyError(`cannot create stream ${desired.name}: ${(cause as Error).message}`, { cause });
    }
  }
  const drift = streamDrift(desired, current);
  if (drift.length === 0) return 'unchanged';
  try {
    await jsm.streams.update(desired.name, { ...current, ...desired });
    return 'updated';
  } catch (cause) {
    throw new TopologyError(
      `stream ${desired.name} exists with a different ${drift.join(', ')} that the server refuses to update: ${(cause as Error).message}`,
      { cause },
    );
  }
};

/** Creates or updates the namespace's streams. Idempotent: a second run reports every stream unchanged. */
export const applyTopology = async (jsm: JetStreamManager, t: Topology, options: TopologyOptions): Promise<Record<string, StreamChange>> => {
  const result: Record<string, StreamChange> = {};
  for (const desired of desiredStreams(t, options)) result[desired.name] = await applyStream(jsm, desired);
  return result;
};

/** The app that applies the topology; every other app only verifies it (see verifyTopology). */
export const TOPOLOGY_OWNER = 'projector';

const shown = (value: unknown): string => (value === undefined ? 'unset' : JSON.stringify(value));

/** What differs between the streams and the topology: streams that do not exist yet, and fields that differ. */
const topologyProblems = async (jsm: JetStreamManager, t: Topology, options: TopologyOptions): Promise<{ missing: string[]; drift: string[] }> => {
  const missing: string[] = [];
  const drift: string[] = [];
  for (const desired of desiredStreams(t, options)) {
    let current: StreamConfig;
    try {
      current = (await jsm.streams.info(desired.name)).config;
    } catch (err) {
      if (!isStreamNotFound(err)) throw new TopologyError(`cannot read stream ${desired.name}`, { cause: err });
      missing.push(desired.name);
      continue;
    }
    for (const key of streamDrift(desired, current)) {
      const hint = key === 'num_replicas' ? ' (KINITRO_STREAM_REPLICAS)' : '';
      drift.push(`stream ${desired.name} has ${key} ${shown(current[key] ?? defaults[key])}, the topology wants ${shown(desired[key])}${hint}`);
    }
  }
  return { missing, drift };
};

const topologyError = (problems: string[]): StartupError =>
  new StartupError(
    `the event streams do not match this app's topology: ${problems.join('; ')}. The ${TOPOLOGY_OWNER} applies the topology: start it (with the same KINITRO_NAMESPACE and KINITRO_STREAM_REPLICAS) or set these variables to what it applied`,
  );

/**
 * Refuses to start an app on streams that differ from the topology, saying what differs; waits (PROJECTOR_WAIT_MS,
 * `waitMs`) for streams that do not exist yet, so apps started together need no order. Only the topology owner
 * changes streams: two apps applying different replica counts would move the log back and forth on every start (a
 * replica change is a full resync of the stream).
 */
export const verifyTopology = async (
  jsm: JetStreamManager,
  t: Topology,
  options: TopologyOptions & { waitMs?: number; logger?: { warn(message: string): void } },
): Promise<void> => {
  const { waitMs = 0, logger = { warn: () => undefined } } = options;
  const absent = (names: string[]) => names.map((name) => `stream ${name} does not exist`);
  let missingAtLastLook: string[] = [];
  await awaitReady({
    waitMs,
    logger,
    check: async () => {
      const { missing, drift } = await topologyProblems(jsm, t, options);
      if (drift.length > 0) throw topologyError([...absent(missing), ...drift]);
      missingAtLastLook = missing;
      return missing.length === 0
        ? { ready: true, value: undefined }
        : { ready: false, waitingFor: `the ${TOPOLOGY_OWNER} to create stream ${missing.join(', ')}` };
    },
    giveUp: () => topologyError(absent(missingAtLastLook)),
  });
};

/** The stream behind a KV bucket. */
const kvStreamOf = (bucket: string): string => `KV_${bucket}`;

/** Deletes the namespace's streams and every KV bucket of it (tests clean up with it). Streams already gone are fine. */
export const deleteTopology = async (jsm: JetStreamManager, t: Topology): Promise<void> => {
  const buckets = [t.activityBucket, t.snapshotBucket, t.leaseBucket, t.apiKeysBucket];
  for (const name of [t.eventsStream, t.workStream, t.deadLetterStream, ...buckets.map(kvStreamOf)]) {
    try {
      await jsm.streams.delete(name);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
    }
  }
};
