import type { JetStreamClient } from '@nats-io/jetstream';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { openBucket } from './buckets.js';
import type { ServerFeatures } from './features.js';
import { Lease } from './lease.js';

export interface RoleLeaseOptions {
  js: JetStreamClient;
  /** The namespace's lease bucket (`Topology.leaseBucket`). */
  bucket: string;
  replicas: number;
  /** One key per role that must run once: `scheduler.<netuid>`, `chain-monitor.<netuid>`. */
  key: string;
  ttlMs: number;
  /** How log lines name the role ("scheduler", "chain monitor"). */
  role: string;
  logger: { error(message: string): void; warn?(message: string): void };
  /** Called once if the lease is lost while held: the process must stop acting, another one acts now. */
  onLost(reason: string): void;
  /** The server's (connection.features): with per-message TTLs (2.11+) the server expires a dead holder's claim. */
  features?: Pick<ServerFeatures, 'perMessageTtl'>;
}

/**
 * Waits until this process holds the lease of a role that must run once per subnet (a standby waits here, doing
 * nothing), then keeps it renewed. Each process is its own holder (host, pid and a random part), so two processes on
 * one host, or a restarted pid, never share a claim.
 */
export const acquireRoleLease = async (options: RoleLeaseOptions): Promise<Lease> => {
  const { role, logger } = options;
  const perMessageTtl = options.features?.perMessageTtl ?? false;
  const lease = new Lease(
    {
      kv: await openBucket(options.js, options.bucket, { replicas: options.replicas, perMessageTtl }),
      ...(perMessageTtl && { serverTtl: { js: options.js, bucket: options.bucket } }),
      key: options.key,
      holder: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
      ttlMs: options.ttlMs,
    },
    {
      lost: (reason) => {
        logger.error(`${role} lease lost (${reason}): stopping, another ${role} acts now`);
        options.onLost(reason);
      },
      unavailable: (error) => logger.warn?.(`cannot reach the ${role} lease, still waiting: ${error.message}`),
    },
  );
  await lease.acquire();
  return lease;
};
