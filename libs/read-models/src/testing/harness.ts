import type { DataSource } from 'typeorm';
import { topology, type Topology } from '#contracts';
import {
  applyTopology,
  connect,
  DeadLetters,
  deleteTopology,
  JetStreamEventReader,
  JetStreamEventStore,
  OffloadedEventReader,
  type JetStreamConnection,
  type ReadItem,
} from '#eventing';
import { dropSchemas, testNamespace, testServices, testSigner } from '#testing';
import { openReadModels } from '../data-source.js';
import type { AppendUnit } from './scenario.js';

/** One test's world: its own streams and its own Postgres schema (same name), removed by `dispose`. */
export interface ProjectionBed {
  namespace: string;
  topology: Topology;
  natsUrl: string;
  databaseUrl: string;
  nats: JetStreamConnection;
  store: JetStreamEventStore;
  /** Batched reads in a worker from the first event on, so the tests replay as production does. */
  reader: OffloadedEventReader;
  deadLetters: DeadLetters;
  /** Read models of the namespace's schema, migrated. */
  dataSource: DataSource;
  /** Every item from `fromSequence` to the end of the stream. */
  readFrom(fromSequence: number): Promise<ReadItem[]>;
  /** Appends units in order; returns the last stream sequence. */
  append(units: AppendUnit[]): Promise<number>;
  dispose(): Promise<void>;
}

export const startProjectionBed = async (hint: string): Promise<ProjectionBed> => {
  const { natsUrl, databaseUrl } = await testServices();
  const namespace = testNamespace(hint);
  const t = topology(namespace);
  const nats = await connect(natsUrl, `test-${hint}`);
  await applyTopology(nats.jsm, t, { replicas: 1 });
  // Validator-side events are signed by their validator's test key (scenario.ts makes them with testKeyFor).
  const store = new JetStreamEventStore(nats.js, nats.jsm, { topology: t, producer: { app: 'read-models-test', version: '0.0.0' }, signer: testSigner });
  const dataSource = await openReadModels({ url: databaseUrl, schema: namespace });
  // From the first event on, in short segments: every replay of the tests is read by two workers by turns.
  const reader = new OffloadedEventReader(new JetStreamEventReader(nats.js, nats.jsm, t), { natsUrl, stream: t.eventsStream, minEvents: 1, segmentEvents: 16 });
  return {
    namespace,
    topology: t,
    natsUrl,
    databaseUrl,
    nats,
    store,
    reader,
    deadLetters: new DeadLetters(nats.js, nats.jsm, t),
    dataSource,
    readFrom: async (fromSequence) => {
      const items: ReadItem[] = [];
      for await (const item of reader.read({ fromSequence })) items.push(item);
      return items;
    },
    append: async (units) => {
      let last = 0;
      for (const unit of units) {
        const recorded = await store.append(unit.aggregate, unit.aggregateId, unit.events, { expected: 'any' });
        last = recorded.at(-1)?.streamSequence ?? last;
      }
      return last;
    },
    dispose: async () => {
      await reader.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await deleteTopology(nats.jsm, t);
      await nats.close();
      await dropSchemas(databaseUrl, namespace);
    },
  };
};
