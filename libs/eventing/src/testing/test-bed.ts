import { randomUUID } from 'node:crypto';
import { newEvent, topology, type NewEvent, type Topology } from '#contracts';
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

/** A valid event of the `request` aggregate `requestId` (its payload names the aggregate it is appended to). */
export const cancellationRequested = (requestId: string, { jobId = randomUUID(), eventId }: { jobId?: string; eventId?: string } = {}): NewEvent =>
  newEvent('JobCancellationRequested', { requestId, requestedBy: 'operator', jobId }, eventId);

