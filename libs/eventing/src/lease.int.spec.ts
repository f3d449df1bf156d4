import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import { eventually } from '#testing';
import { openBucket } from './buckets.js';
import { Lease, type LeaseOptions } from './lease.js';
import { startTestBed, type EventingTestBed } from './testing/test-bed.js';

let bed: EventingTestBed;
let kv: KV;
const TTL = 600;
const leases: Lease[] = [];

beforeAll(async () => {
  bed = await startTestBed('lease');
  kv = await openBucket(bed.js, bed.topology.leaseBucket, { replicas: 1 });
});
afterAll(async () => {
  for (const lease of leases) await lease.release();
  await bed.dispose();
});

const lease = (key: string, holder: string, options: Partial<LeaseOptions> = {}, lost?: (reason: string) => void): Lease => {
  const made = new Lease({ kv, key, holder, ttlMs: TTL, renewEveryMs: 150, ...options }, lost ? { lost } : {});
  leases.push(made);
  return made;
};
const holderOf = async (key: string) => (await kv.get(key))?.json<{ holder: string }>().holder;

describe('Lease', () => {
  it('of two processes racing for a free lease, exactly one gets it', async () => {
    const key = `race-${randomUUID()}`;
    const results = await Promise.all([lease(key, 'a').tryAcquire(), lease(key, 'b').tryAcquire(), lease(key, 'c').tryAcquire()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await holderOf(key)).toBe(['a', 'b', 'c'][results.indexOf(true)]);
  });

  it('a renewing holder keeps it past several TTLs; the standby waits', async () => {
    const key = `renew-${randomUUID()}`;
    const holder = lease(key, 'holder');
    await holder.acquire();
    const standby = lease(key, 'standby');
    let standbyHolds = false;
    void standby.acquire().then(
      () => (standbyHolds = true),
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, TTL * 3));
    expect(standbyHolds).toBe(false);
    expect(holder.held).toBe(true);
    expect(await holderOf(key)).toBe('holder');
    await holder.release();
    await eventually('the standby takes over a released lease at once', () => standbyHolds, 500);
    expect(await holderOf(key)).toBe('standby');
  });

  it('a standby takes over a holder that died (stopped renewing) within TTL + one poll', async () => {
    const key = `dead-${randomUUID()}`;
    // tryAcquire alone: a claim nobody renews, as a killed process leaves it.
    expect(await lease(key, 'dead').tryAcquire()).toBe(true);
    const claimedAt = Date.now();
    const standby = lease(key, 'standby');
    await standby.acquire();
    const waited = Date.now() - claimedAt;
    expect(waited).toBeGreaterThanOrEqual(TTL - 50);
    expect(waited).toBeLessThan(TTL + 150 + 300);
    expect(standby.held).toBe(true);
  });

  it('a holder whose lease was taken over tells its owner to stop, and no longer counts as holding it', async () => {
    const key = `taken-${randomUUID()}`;
    const reasons: string[] = [];
    const slow = lease(key, 'slow', { renewEveryMs: 400 }, (reason) => reasons.push(reason));
    await slow.acquire();
    // A process whose clock runs ahead sees the claim as expired and takes it (revision compare-and-set).
    const ahead = lease(key, 'ahead', { clock: { now: () => new Date(Date.now() + 10 * TTL) } });
    expect(await ahead.tryAcquire()).toBe(true);
    await eventually('the old holder notices', () => reasons.length > 0, 2_000);
    expect(reasons[0]).toMatch(/took it over/);
    expect(slow.held).toBe(false);
    expect(await holderOf(key)).toBe('ahead');
  });

  it('refuses a renewal period that is not below the TTL', () => {
    expect(() => new Lease({ kv, key: 'k', holder: 'h', ttlMs: 100, renewEveryMs: 100 })).toThrow(/renewEveryMs \(100\) must be below ttlMs \(100\)/);
  });
});
