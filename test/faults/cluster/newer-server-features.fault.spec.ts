import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { topology } from '#contracts';
import { applyTopology, connect, jsonDecoder, runConsumer, type JetStreamConnection } from '#eventing';
import { dropSchemas, eventually, testNamespace, testServices } from '#testing';
import { startNatsServer, type NatsServerProcess } from '../../../libs/eventing/src/access/testing/nats-server-process.js';
import { natsServerNext } from '../../../libs/testing/src/servers/nats-cluster.js';

/** The 2.10+ paths libs/eventing gates on the server version, against the newer server CI fetches (NATS_SERVER_NEXT). */
const binary = natsServerNext();
const describeNext = binary ? describe : describe.skip;
if (!binary) console.warn('newer-server features: NATS_SERVER_NEXT is not set (infra/nats/fetch-nats-server.sh); skipped');

describeNext('eventing on a newer nats-server', () => {
  let server: NatsServerProcess;
  let conn: JetStreamConnection;
  const t = topology(testNamespace('next-features'));

  beforeAll(async () => {
    server = await startNatsServer('', { binary });
    conn = await connect(server.url, 'next-features', {});
    await applyTopology(conn.jsm, t, { replicas: 1 });
  });

  afterAll(async () => {
    await conn?.close();
    await server?.stop();
  });

  it('reports the 2.10+ features as present', () => {
    expect(conn.features).toMatchObject({ multipleFilterSubjects: true, termWithReason: true });
  });

  it('runs a durable consumer on two filter subjects and delivers only theirs', async () => {
    for (const aggregate of ['job', 'submission', 'evaluation'] as const) {
      await conn.js.publish(t.eventSubject(aggregate, 'x'), JSON.stringify({ aggregate }));
    }
    const seen: string[] = [];
    const consumer = await runConsumer({
      js: conn.js,
      jsm: conn.jsm,
      topology: t,
      durable: 'two_filters',
      filterSubject: [t.aggregateWildcard('job'), t.aggregateWildcard('submission')],
      features: conn.features,
      maxDeliver: 3,
      backoffMs: [10],
      ackWaitMs: 5_000,
      decode: jsonDecoder((v) => (v as { aggregate: string }).aggregate),
      handler: async (aggregate) => void seen.push(aggregate),
    });
    for (let end = Date.now() + 10_000; seen.length < 2 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    await consumer.stop();
    expect(seen.sort()).toEqual(['job', 'submission']);
  });

  it('the compiled projector applies the events stream with allow_atomic here (updating the stream this file made without it)', async () => {
    expect((await conn.jsm.streams.info(t.eventsStream)).config.allow_atomic ?? false).toBe(false);
    const { databaseUrl } = await testServices();
    const projector = spawn(process.execPath, [resolve('dist/apps/projector/src/main.js')], {
      env: { ...process.env, NATS_URL: server.url, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: t.namespace, KINITRO_NAMESPACE: t.namespace },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      await eventually('allow_atomic', async () => (await conn.jsm.streams.info(t.eventsStream)).config.allow_atomic === true, 20_000);
    } finally {
      const exited = once(projector, 'exit');
      projector.kill('SIGKILL');
      await exited;
      await dropSchemas(databaseUrl, t.namespace);
    }
  });
});
