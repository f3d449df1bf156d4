import { topology, type RecordedEvent, type Topology } from '#contracts';
import { testNamespace, testServices } from '#testing';
import { connect, type JetStreamConnection } from '../connection.js';
import { JetStreamEventReader } from '../event-reader.js';
import { applyTopology, deleteTopology } from '../topology.js';

/** One test file's NATS namespace: its own streams, created on start and deleted by `dispose`. */
export interface EventingTestBed extends JetStreamConnection {
  readonly topology: Topology;
  dispose(): Promise<void>;
}

export const startTestBed = async (hint: string): Promise<EventingTestBed> => {
  const { natsUrl } = await testServices();
  const conn = await connect(natsUrl, `test-${hint}`);
  const t = topology(testNamespace(hint));
  await applyTopology(conn.jsm, t, { replicas: 1 });
  return {
    ...conn,
    topology: t,
    dispose: async () => {
      await deleteTopology(conn.jsm, t);
      await conn.close();
    },
  };
};

/** Every event of the namespace's log, in order; a message that does not decode fails the read (tests expect none). */
export const wholeLog = async (conn: Pick<JetStreamConnection, 'js' | 'jsm'>, t: Topology): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const item of new JetStreamEventReader(conn.js, conn.jsm, t).read({ fromSequence: 1 })) {
    if (!item.ok) throw item.error;
    events.push(item.event);
  }
  return events;
};

export { cancellationRequested } from './fixtures.js';
