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

/** A valid event of the `request` aggregate. */
export const cancellationRequested = (jobId: string = randomUUID(), eventId?: string): NewEvent =>
  newEvent('JobCancellationRequested', { requestId: randomUUID(), requestedBy: 'operator', jobId }, eventId);

/** Polls `probe` until it returns something other than undefined/false; fails after `timeoutMs`. */
export const eventually = async <T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
