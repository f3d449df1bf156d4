import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { JetStreamApiError } from '@nats-io/jetstream';
import { startNatsServer, type NatsServerProcess } from './access/testing/nats-server-process.js';
import { connect, type JetStreamConnection } from './connection.js';
import { onEachNatsServer } from './testing/each-nats-server.js';

/**
 * Why every 2.10+ feature is gated on the server version (features.ts): what a 2.9 server does with the headers
 * of `lastSubjectSequenceSubject` and per-message TTL, against what 2.12+ does, each on a server of this file's own.
 * 2.9 stores the message and ignores them (a concurrency check that checks nothing, a TTL that never expires);
 * 2.15.1 (NATS_SERVER_NEXT) refuses the stale expectation and removes the TTL'd message.
 */
onEachNatsServer('gated headers', ({ newer, options }) => {
  let server: NatsServerProcess;
  let conn: JetStreamConnection;

  beforeAll(async () => {
    server = await startNatsServer('', options);
    conn = await connect(server.url, 'server-features', {});
    await conn.jsm.streams.add({ name: 'FEATURES', subjects: ['features.>'], ...(newer && { allow_msg_ttl: true }) });
  });

  afterAll(async () => {
    await conn?.close();
    await server?.stop();
  });

  it(`${newer ? 'refuses' : 'ignores'} a stale lastSubjectSequence over a wildcard (lastSubjectSequenceSubject)`, async () => {
    expect(conn.features.lastSubjectSequenceSubject).toBe(newer);
    const { seq } = await conn.js.publish('features.job.a', 'first');
    // Expects nothing yet under features.job.* (0), though features.job.a holds `seq`.
    const stale = conn.js.publish('features.job.b', 'second', { expect: { lastSubjectSequence: 0, lastSubjectSequenceSubject: 'features.job.*' } });
    if (newer) await expect(stale).rejects.toThrow(new JetStreamApiError({ code: 400, err_code: 10071, description: `wrong last sequence: ${seq}` }).message);
    else expect((await stale).seq).toBe(seq + 1);
  });

  it(`${newer ? 'removes' : 'keeps'} a message published with a 1 s TTL`, async () => {
    expect(conn.features.perMessageTtl).toBe(newer);
    const { seq } = await conn.js.publish('features.heartbeat', 'beat', { ttl: '1s' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const stored = await conn.jsm.streams.getMessage('FEATURES', { seq });
    expect(stored === null).toBe(newer);
  });
});
