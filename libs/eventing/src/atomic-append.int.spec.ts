import 'reflect-metadata';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { newEvent, topology } from '#contracts';
import { testNamespace } from '#testing';
import { startNatsServer, type NatsServerProcess } from './access/testing/nats-server-process.js';
import { connect, type JetStreamConnection } from './connection.js';
import { ConcurrencyError, EventStoreError } from './errors.js';
import { atomicBatchesOf, JetStreamEventStore } from './event-store.js';
import { EventingModule } from './nest/eventing.module.js';
import { EVENT_STORE } from './nest/tokens.js';
import type { EventStore } from './ports.js';
import { applyTopology } from './topology.js';
import { onEachNatsServer } from './testing/each-nats-server.js';

/**
 * An append of several events (one command's) on each server the project runs on, each a server of this file's own
 * whose max_payload (4 KiB) lets the second event fail to publish after the first was sent: on 2.9 (Debian's
 * 2.9.10) events are published one by one and the first one stays stored, the hole atomic batches close; on 2.12+
 * (NATS_SERVER_NEXT, 2.15.1) the store publishes one atomic batch and the server stores none of it.
 */
const competitionId = () => `c${randomUUID().slice(0, 8)}`;
const created = (id: string) =>
  newEvent('CompetitionCreated', {
    competitionId: id,
    name: `Competition ${id}`,
    benchmarks: [
      {
        name: 'b',
        provider: 'control',
        tasks: ['reach'],
        episodesPerTask: 1,
        maxSteps: 10,
        timeoutSeconds: 60,
        camera: { names: ['front'], width: 16, height: 16, everyNSteps: 1 },
      },
    ],
    weightShare: 1,
    maxRepoBytes: 1_000_000,
    submissionRateLimit: { count: 1, perSeconds: 60 },
    createdBy: 'admin',
  });
/** Valid (a description may hold 5000 characters), but over the server's 4 KiB max_payload once in an envelope. */
const tooLarge = (id: string) => newEvent('CompetitionUpdated', { competitionId: id, changes: { description: 'x'.repeat(4500) }, updatedBy: 'admin' });
const activated = (id: string) => newEvent('CompetitionActivated', { competitionId: id, activatedBy: 'admin' });

onEachNatsServer('an append of several events', ({ newer: atomic, options }) => {
  let server: NatsServerProcess;
  let conn: JetStreamConnection;
  let store: JetStreamEventStore;
  const t = topology(testNamespace(`atomic append ${atomic ? 'next' : '29'}`));

  beforeAll(async () => {
    server = await startNatsServer('max_payload: 4096', options);
    conn = await connect(server.url, 'atomic-append', {});
    await applyTopology(conn.jsm, t, { replicas: 1, features: conn.features });
    store = new JetStreamEventStore(conn.js, conn.jsm, { topology: t, producer: { app: 'test', version: '1' }, ...atomicBatchesOf(conn) });
  });

  afterAll(async () => {
    await conn?.close();
    await server?.stop();
  });

  const stored = async (id: string) => (await store.load('competition', id)).events.map((e) => e.type);

  it(`the server reports ${atomic ? 'atomic batches, and the events stream allows them' : 'no atomic batches, and the events stream has no allow_atomic'}`, async () => {
    expect(conn.features.atomicBatch).toBe(atomic);
    expect((await conn.jsm.streams.info(t.eventsStream)).config.allow_atomic ?? false).toBe(atomic);
  });

  it(`a second event that cannot be published ${atomic ? 'leaves nothing of the append stored' : 'leaves the first one stored'}`, async () => {
    const id = competitionId();
    await expect(store.append('competition', id, [created(id), tooLarge(id)], { expected: { version: 0, lastSequence: 0 } })).rejects.toThrow(EventStoreError);
    expect(await stored(id)).toEqual(atomic ? [] : ['CompetitionCreated']);
  });

  it('stores the events of an append under consecutive sequences, in order, and a retry once', async () => {
    const id = competitionId();
    const events = [
      { ...created(id), eventId: randomUUID() },
      { ...activated(id), eventId: randomUUID() },
    ];
    const first = await store.appendWithReport('competition', id, events, { expected: { version: 0, lastSequence: 0 } });
    expect(first.events.map((e) => [e.type, e.aggregateVersion, e.streamSequence - first.events[0]!.streamSequence])).toEqual([
      ['CompetitionCreated', 1, 0],
      ['CompetitionActivated', 2, 1],
    ]);
    const retry = await store.appendWithReport('competition', id, events, { expected: { version: 0, lastSequence: 0 } });
    expect(retry.duplicates).toEqual(events.map((e) => e.eventId));
    expect(retry.events).toEqual(first.events);
    expect(await stored(id)).toEqual(['CompetitionCreated', 'CompetitionActivated']);
  });

  it('refuses a whole append at a stale position and stores none of it', async () => {
    const id = competitionId();
    const [first] = await store.append('competition', id, [created(id)], { expected: { version: 0, lastSequence: 0 } });
    await expect(
      store.append('competition', id, [activated(id), newEvent('CompetitionDeactivated', { competitionId: id, deactivatedBy: 'admin' })], {
        expected: { version: 0, lastSequence: 0 },
      }),
    ).rejects.toThrow(ConcurrencyError);
    expect(await stored(id)).toEqual(['CompetitionCreated']);
    await store.append('competition', id, [activated(id), activated(id)], { expected: { version: 1, lastSequence: first!.streamSequence } });
    expect(await stored(id)).toEqual(['CompetitionCreated', 'CompetitionActivated', 'CompetitionActivated']);
  });

  it(`an app's event store (EventingModule, as the apps wire it) ${atomic ? 'appends atomically' : 'appends one by one'} too`, async () => {
    const app = await Test.createTestingModule({
      imports: [EventingModule.forRoot({ natsUrl: server.url, namespace: t.namespace, app: 'atomic-app', version: '0', replicas: 1 })],
    }).compile();
    try {
      const id = competitionId();
      const append = app.get<EventStore>(EVENT_STORE).append('competition', id, [created(id), tooLarge(id)], { expected: { version: 0, lastSequence: 0 } });
      await expect(append).rejects.toThrow(EventStoreError);
      expect(await stored(id)).toEqual(atomic ? [] : ['CompetitionCreated']);
    } finally {
      await app.close();
    }
  });

  if (!atomic) return;
  it('on a stream applied without allow_atomic (an older projector) appends one by one, says so once, and tries a batch again after atomicRetryMs', async () => {
    const older = topology(testNamespace('atomic append refused'));
    await applyTopology(conn.jsm, older, { replicas: 1 });
    let now = Date.parse('2026-12-03T10:00:00Z');
    const told: string[] = [];
    const refusedStore = new JetStreamEventStore(conn.js, conn.jsm, {
      topology: older,
      producer: { app: 'test', version: '1' },
      ...atomicBatchesOf(conn),
      atomicRetryMs: 60_000,
      clock: { now: () => new Date(now) },
      logger: { warn: (m) => told.push(`warn: ${m}`), log: (m) => told.push(`log: ${m}`) },
    });
    const storedIn = async (id: string) => (await refusedStore.load('competition', id)).events.map((e) => e.type);
    for (const id of [competitionId(), competitionId()]) {
      await refusedStore.append('competition', id, [created(id), activated(id)], { expected: { version: 0, lastSequence: 0 } });
      expect(await storedIn(id)).toEqual(['CompetitionCreated', 'CompetitionActivated']);
    }
    expect(told).toEqual([expect.stringMatching(/^warn: .*refuses atomic batches .*one by one.*every 60 s$/)]);

    // A newer projector re-applies the stream; until the retry time the store keeps appending one by one.
    await applyTopology(conn.jsm, older, { replicas: 1, features: conn.features });
    const early = competitionId();
    await expect(refusedStore.append('competition', early, [created(early), tooLarge(early)], { expected: { version: 0, lastSequence: 0 } })).rejects.toThrow(
      EventStoreError,
    );
    expect(await storedIn(early)).toEqual(['CompetitionCreated']);
    now += 60_000;
    const again = competitionId();
    await refusedStore.append('competition', again, [created(again), activated(again)], { expected: { version: 0, lastSequence: 0 } });
    expect(told.slice(1)).toEqual([`log: ${older.eventsStream} accepts atomic batches again`]);
    const late = competitionId();
    await expect(refusedStore.append('competition', late, [created(late), tooLarge(late)], { expected: { version: 0, lastSequence: 0 } })).rejects.toThrow(
      EventStoreError,
    );
    expect(await storedIn(late)).toEqual([]);
  });
});
