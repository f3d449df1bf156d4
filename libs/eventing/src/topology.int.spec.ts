import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { topology } from '#contracts';
import { testNamespace, testServices } from '#testing';
import { connect, type JetStreamConnection } from './connection.js';
import { TopologyError } from './errors.js';
import { Kvm } from '@nats-io/kv';
import { applyTopology, deleteTopology } from './topology.js';

let conn: JetStreamConnection;
const t = topology(testNamespace('topology'));
const conflicting = topology(testNamespace('topology conflict'));
const cleaned = topology(testNamespace('topology cleanup'));

beforeAll(async () => {
  conn = await connect((await testServices()).natsUrl, 'topology-test');
});
afterAll(async () => {
  await deleteTopology(conn.jsm, t);
  await deleteTopology(conn.jsm, conflicting);
  await deleteTopology(conn.jsm, cleaned);
  await conn.close();
});

describe('applyTopology', () => {
  it('reports the server version it connected to', () => {
    expect(conn.features.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('creates the three streams, then changes nothing on a second run', async () => {
    expect(await applyTopology(conn.jsm, t, { replicas: 1 })).toEqual({
      [t.eventsStream]: 'created',
      [t.workStream]: 'created',
      [t.deadLetterStream]: 'created',
    });
    const before = await conn.jsm.streams.info(t.eventsStream);
    expect(await applyTopology(conn.jsm, t, { replicas: 1 })).toEqual({
      [t.eventsStream]: 'unchanged',
      [t.workStream]: 'unchanged',
      [t.deadLetterStream]: 'unchanged',
    });
    expect((await conn.jsm.streams.info(t.eventsStream)).config).toEqual(before.config);
    expect(before.config).toMatchObject({ retention: 'limits', storage: 'file', deny_delete: true, deny_purge: true, allow_direct: true, max_age: 0 });
    expect((await conn.jsm.streams.info(t.workStream)).config.retention).toBe('workqueue');
  });

  it('updates a stream whose updatable settings drifted', async () => {
    await conn.jsm.streams.update(t.deadLetterStream, { ...(await conn.jsm.streams.info(t.deadLetterStream)).config, duplicate_window: 10_000_000_000 });
    expect((await applyTopology(conn.jsm, t, { replicas: 1 }))[t.deadLetterStream]).toBe('updated');
    expect((await conn.jsm.streams.info(t.deadLetterStream)).config.duplicate_window).toBe(120_000_000_000);
  });

  it('fails clearly when an existing stream cannot be changed into ours', async () => {
    await conn.jsm.streams.add({ name: conflicting.eventsStream, subjects: [conflicting.allEventsSubject], retention: 'workqueue', storage: 'memory' });
    const run = applyTopology(conn.jsm, conflicting, { replicas: 1 });
    await expect(run).rejects.toBeInstanceOf(TopologyError);
    await expect(run).rejects.toThrow(new RegExp(`${conflicting.eventsStream} exists with a different .*retention.*storage`));
  });
});

describe('deleteTopology', () => {
  it("leaves no stream of the namespace behind, its KV buckets' included (tests share one server)", async () => {
    await applyTopology(conn.jsm, cleaned, { replicas: 1 });
    const kvm = new Kvm(conn.js);
    // Every bucket the topology names (the apps create them as they first need them): a new one is covered too.
    const buckets = Object.entries(cleaned).flatMap(([key, name]) => (key.endsWith('Bucket') ? [name as string] : []));
    expect(buckets.length).toBeGreaterThanOrEqual(4);
    for (const bucket of buckets) await kvm.create(bucket, { history: 1 });
    const ours = async () => {
      const names: string[] = [];
      for await (const info of conn.jsm.streams.list()) if (info.config.name.includes(cleaned.namespace.toUpperCase())) names.push(info.config.name);
      return names;
    };
    expect(await ours()).toHaveLength(3 + buckets.length);
    await deleteTopology(conn.jsm, cleaned);
    expect(await ours()).toEqual([]);
  });
});
