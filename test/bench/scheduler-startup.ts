import type { LoggerService } from '@nestjs/common';
import type { Topology } from '#contracts';
import { JetStreamEventReader, KvSnapshotStore, openBucket, systemClock, type EventStore, type JetStreamConnection } from '#eventing';
import { HfHubAdapter } from '#storage';
import { HubInspector } from '../../apps/scheduler/src/hub-inspector.js';
import { SchedulerSnapshots } from '../../apps/scheduler/src/scheduler-snapshots.js';
import { Scheduler } from '../../apps/scheduler/src/scheduler.js';

export interface SchedulerStartup {
  /** catchUp over the whole log, no snapshot: what every start cost before snapshots. */
  wholeLogMs: number;
  /** Writing the snapshot after that catch-up (serialise, gzip, chunked KV puts; only the serialisation holds up event handling). */
  snapshotWriteMs: number;
  snapshotBytes: number;
  /** catchUp of a second scheduler: load and check the snapshot, fold the tail after it. */
  fromSnapshotMs: number;
  tail: number;
  /** Reading the whole log as a reader with a type filter that wants none of it (skipped by header) vs decoding all of it. */
  skippedByHeaderMs: number;
  decodedAllMs: number;
}

const quiet: LoggerService = { log: () => undefined, warn: () => undefined, error: () => undefined };

const time = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
};

/** Start-up of the scheduler's process manager over the bench's log, before and after snapshots (no Hub is asked: the log has no commitments). */
export const schedulerStartup = async (nats: JetStreamConnection, topology: Topology, store: EventStore): Promise<SchedulerStartup> => {
  const reader = new JetStreamEventReader(nats.js, nats.jsm, topology);
  const kv = await openBucket(nats.js, topology.snapshotBucket, { replicas: 1 });
  const snapshotStore = new KvSnapshotStore(kv);
  const key = 'scheduler.bench';
  // Never written by policy during the bench; written once, forced, at the end of the first catch-up.
  const snapshots = new SchedulerSnapshots(snapshotStore, key, { everyEvents: Number.MAX_SAFE_INTEGER, everyMs: Number.MAX_SAFE_INTEGER }, systemClock, quiet);
  const scheduler = (withSnapshots: boolean) =>
    new Scheduler(
      1,
      store,
      reader,
      new HubInspector(new HfHubAdapter({ hubUrl: 'http://127.0.0.1:9' })),
      systemClock,
      quiet,
      { record: async () => undefined },
      withSnapshots ? snapshots : undefined,
    );

  const [wholeLogMs] = await time(() => scheduler(false).catchUp());
  // Folds the whole log again and writes the snapshot at its end.
  await scheduler(true).catchUp();
  await snapshots.flush();
  const [fromSnapshotMs, resumed] = await time(() => scheduler(true).catchUp());
  if (resumed.snapshotAt === null) throw new Error('the second start did not use the snapshot');
  // The write on its own: the same snapshot saved again (serialise, gzip, chunked puts).
  const saved = (await snapshotStore.load(key))!;
  const [snapshotWriteMs] = await time(() => snapshotStore.save(key, saved));
  let snapshotBytes = 0;
  for await (const name of await kv.keys(`${key}.>`)) snapshotBytes += (await kv.get(name))?.length ?? 0;

  const count = async (types?: []) => {
    let n = 0;
    for await (const item of reader.read({ fromSequence: 1, ...(types ? { types } : {}) })) if (item.ok) n++;
    return n;
  };
  const [skippedByHeaderMs] = await time(() => count([]));
  const [decodedAllMs] = await time(() => count());
  return { wholeLogMs, snapshotWriteMs, snapshotBytes, fromSnapshotMs, tail: resumed.folded, skippedByHeaderMs, decodedAllMs };
};
