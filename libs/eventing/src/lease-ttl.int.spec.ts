import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventually } from '#testing';
import { startNatsServer, type NatsServerProcess } from './access/testing/nats-server-process.js';
import { openBucket } from './buckets.js';
import type { Clock } from './clock.js';
import { connect, type JetStreamConnection } from './connection.js';
import { Lease, type LeaseOptions } from './lease.js';
import { onEachNatsServer } from './testing/each-nats-server.js';

/**
 * A lease whose standby's clock runs an hour ahead of the holder's, on each server the project runs on (a server of
 * this file's own): on 2.9 the standby decides expiry by its own clock and takes a live holder's lease (two holders:
 * the documented limit, clocks must agree); on 2.11+ (NATS_SERVER_NEXT, 2.15.1) claims carry a per-message TTL, the
 * server removes a dead holder's claim by its own clock, and the skewed standby waits for that.
 */
/** The server's TTLs are whole seconds. */
const TTL = 1000;
const aheadByAnHour: Clock = { now: () => new Date(Date.now() + 3_600_000) };

onEachNatsServer('a lease', ({ newer: serverTtl, options }) => {
  let server: NatsServerProcess;
  const connections: JetStreamConnection[] = [];
  const leases: Lease[] = [];
  const bucket = `LEASE_TTL_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    server = await startNatsServer('', options);
  });

  afterAll(async () => {
    for (const lease of leases) await lease.release().catch(() => undefined);
    for (const connection of connections) await connection.close();
    await server?.stop();
  });

  /** A process of its own (its own connection) competing for `key`. */
  const processLease = async (key: string, holder: string, options: Partial<LeaseOptions> = {}) => {
    const connection = await connect(server.url, holder, {});
    connections.push(connection);
    expect(connection.features.perMessageTtl).toBe(serverTtl);
    const kv = await openBucket(connection.js, bucket, { replicas: 1, perMessageTtl: connection.features.perMessageTtl });
    const lease = new Lease({ kv, key, holder, ttlMs: TTL, renewEveryMs: 200, ...(serverTtl && { serverTtl: { js: connection.js, bucket } }), ...options });
    leases.push(lease);
    return { lease, connection, kv };
  };

  it(`a standby whose clock runs ahead ${serverTtl ? 'does not take a renewing holder’s lease' : 'takes a renewing holder’s lease (clocks must agree)'}`, async () => {
    const key = `skew-${randomUUID()}`;
    const { lease: holder } = await processLease(key, 'holder');
    await holder.acquire();
    const { lease: standby } = await processLease(key, 'standby', { clock: aheadByAnHour });
    const taken: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      taken.push(await standby.tryAcquire());
      await new Promise((resolve) => setTimeout(resolve, TTL / 2));
    }
    expect(taken.some(Boolean)).toBe(!serverTtl);
  });

  it(`a holder that dies ${serverTtl ? 'leaves a claim the server removes after the TTL; then the standby takes it' : 'leaves its claim in the bucket past its TTL (only a standby’s clock ends it)'}`, async () => {
    const key = `dead-${randomUUID()}`;
    const { lease: holder, connection } = await processLease(key, 'doomed');
    await holder.acquire();
    // Dies: its connection goes, nothing renews the claim or removes it.
    await connection.close();
    const { lease: standby, kv } = await processLease(key, 'heir', { clock: aheadByAnHour });
    if (serverTtl) {
      const died = Date.now();
      await eventually('the claim to go', async () => (await kv.get(key))?.operation !== 'PUT', 5_000);
      expect(Date.now() - died).toBeLessThan(TTL + 1_500);
      expect(await standby.tryAcquire()).toBe(true);
    } else {
      await new Promise((resolve) => setTimeout(resolve, TTL * 1.5));
      expect((await kv.get(key))?.json<{ holder: string }>().holder).toBe('doomed');
    }
  });
});
