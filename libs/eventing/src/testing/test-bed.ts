import { topology, type Topology } from '#contracts';
import { testNamespace, testServices } from '#testing';
import { connect, type JetStreamConnection } from '../connection.js';
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


export { cancellationRequested } from './fixtures.js';
