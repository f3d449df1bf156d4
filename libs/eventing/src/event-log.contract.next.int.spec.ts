import { afterAll, beforeAll, describe } from '@jest/globals';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { topology } from '#contracts';
import { testNamespace } from '#testing';
import { startNatsServer, type NatsServerProcess } from './access/testing/nats-server-process.js';
import { connect } from './connection.js';
import { JetStreamEventReader } from './event-reader.js';
import { atomicBatchesOf, JetStreamEventStore } from './event-store.js';
import { eventLogContract } from './testing/event-log.contract.js';
import { applyTopology } from './topology.js';
import { natsServerNext } from '../../testing/src/servers/nats-cluster.js';

/**
 * The event log contract on the newer server CI fetches (NATS_SERVER_NEXT, 2.15.1), the store publishing atomic
 * batches: what every adapter owes its callers holds on the 2.12+ path too. One server for the file, a namespace per
 * block of the contract.
 */
const binary = natsServerNext();
if (!binary) console.warn('event log contract on a newer nats-server: NATS_SERVER_NEXT is not set (infra/nats/fetch-nats-server.sh); skipped');

let server: NatsServerProcess;
let blocks = 0;

(binary ? describe : describe.skip)('on NATS_SERVER_NEXT', () => {
  beforeAll(async () => {
    server = await startNatsServer('', { binary: binary! });
  });
  afterAll(() => server?.stop());

  eventLogContract('JetStream 2.12+ with atomic batches', async () => {
    const conn = await connect(server.url, 'event-log-contract-next', {});
    const t = topology(testNamespace(`contract next ${++blocks}`));
    await applyTopology(conn.jsm, t, { replicas: 1, features: conn.features });
    const producer = { app: 'test', version: '1.0.0' };
    return {
      topology: t,
      store: (options = {}) => new JetStreamEventStore(conn.js, conn.jsm, { topology: t, producer, ...atomicBatchesOf(conn), ...options }),
      reader: new JetStreamEventReader(conn.js, conn.jsm, t),
      publishRaw: async (subject, data, headers = {}) => {
        const h = natsHeaders();
        for (const [key, value] of Object.entries(headers)) h.set(key, value);
        return (await conn.js.publish(subject, data, { headers: h })).seq;
      },
      stored: async (seq) => {
        const msg = await conn.jsm.streams.getMessage(t.eventsStream, { seq });
        if (!msg) throw new Error(`no message at ${seq}`);
        return { data: msg.data, header: (name) => (msg.header.has(name) ? msg.header.get(name) : undefined) };
      },
      count: async () => (await conn.jsm.streams.info(t.eventsStream)).state.messages,
      teardown: () => conn.close(),
    };
  });
});
