import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type JetStreamConnection } from '#eventing';
import { startNatsServer, type NatsServerProcess } from '../../libs/eventing/src/access/testing/nats-server-process.js';

/**
 * Fault 2: kill -9 and restart a nats-server of our own (JetStream, its own store dir, a free loopback port) while
 * publishers append with a message id each and retry an unacknowledged publish with the same id. Afterwards every
 * acknowledged id is in the stream exactly once: 0 lost, 0 duplicated. A restart costs well under a second, so
 * RUNS runs × RESTARTS restarts each (16 restarts by default) on a fresh stream per run.
 */
const RUNS = Number(process.env.FAULT_NATS_RUNS ?? 8);
const RESTARTS = 2;
const PUBLISHERS = 4;
const PER_PUBLISHER = 100;
jest.setTimeout(30_000 * RUNS);

let server: NatsServerProcess;
let conn: JetStreamConnection;

beforeAll(async () => {
  server = await startNatsServer('');
  conn = await connect(server.url, 'fault-nats-restart', {});
});

afterAll(async () => {
  await conn?.nc.close();
  await server?.stop();
});

/** Publishes until acknowledged, always with the same message id; returns once the server took it. */
const publishUntilAcked = async (subject: string, id: string): Promise<void> => {
  for (;;) {
    try {
      await conn.js.publish(subject, new TextEncoder().encode(id), { msgID: id, timeout: 2_000 });
      return;
    } catch {
      await sleep(100);
    }
  }
};

const storedIds = async (stream: string): Promise<string[]> => {
  const { state } = await conn.jsm.streams.info(stream);
  const ids: string[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const msg = await conn.jsm.streams.getMessage(stream, { seq });
    if (msg) ids.push(msg.header.get('Nats-Msg-Id'));
  }
  return ids;
};

describe(`fault: nats-server restart under publish load (${RUNS} runs × ${RESTARTS} restarts)`, () => {
  it('loses no acknowledged message and stores none twice', async () => {
    const lines: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const stream = `FAULT_${run}`;
      const subject = `fault.${run}`;
      await conn.jsm.streams.add({ name: stream, subjects: [subject] });
      const acked: string[] = [];
      const publishers = Array.from({ length: PUBLISHERS }, async (_, p) => {
        for (let i = 0; i < PER_PUBLISHER; i++) {
          const id = `r${run}-p${p}-${i}`;
          await publishUntilAcked(subject, id);
          acked.push(id);
        }
      });
      const restarts = (async () => {
        for (let r = 0; r < RESTARTS; r++) {
          // Mid-load: some messages acknowledged, most still to come.
          while (acked.length < ((r + 1) * PUBLISHERS * PER_PUBLISHER) / (RESTARTS + 2)) await sleep(10);
          await server.restart();
        }
      })();
      await Promise.all([...publishers, restarts]);

      const ids = await storedIds(stream);
      const stored = new Set(ids);
      const lost = acked.filter((id) => !stored.has(id));
      const duplicated = ids.length - stored.size;
      expect({ lost, duplicated }).toEqual({ lost: [], duplicated: 0 });
      expect(stored.size).toBe(PUBLISHERS * PER_PUBLISHER);
      lines.push(`run ${run + 1}: ${acked.length} acknowledged, ${ids.length} stored, 0 lost, 0 duplicated`);
      await conn.jsm.streams.delete(stream);
    }
    console.log(`nats-server restart: ${lines.length}/${RUNS} runs held\n${lines.join('\n')}`);
  });
});
