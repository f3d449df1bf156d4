import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { JetStreamManager } from '@nats-io/jetstream';
import { JetStreamEventReader } from './event-reader.js';
import { JetStreamEventStore } from './event-store.js';
import { readLastEvent } from './last-event.js';
import { cancellationRequested, startTestBed, type EventingTestBed } from './testing/test-bed.js';

// What every EventStore / EventReader owes its callers is in testing/event-log.contract.ts (run against JetStream
// by event-log.contract.int.spec.ts); this file keeps what only JetStream has: message ids and leader reads.

const at = new Date('2026-01-02T03:04:05.000Z');
let bed: EventingTestBed;
let store: JetStreamEventStore;

beforeAll(async () => {
  bed = await startTestBed('event store');
  store = new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer: { app: 'test', version: '1.0.0' }, clock: { now: () => at } });
});
afterAll(() => bed.dispose());

describe('JetStreamEventStore', () => {
  it('sends the event id as Nats-Msg-Id, so the server drops a retried publish', async () => {
    const id = randomUUID();
    const [event] = await store.append('request', id, [cancellationRequested(id)], { expected: 'any' });
    const stored = await bed.jsm.direct.getMessage(bed.topology.eventsStream, { seq: event!.streamSequence });
    expect(stored!.header.get('Kinitro-Event-Type')).toBe('JobCancellationRequested');
    expect(stored!.header.get('Nats-Msg-Id')).toBe(event!.eventId);
  });
});

describe('reads that decide something', () => {
  /** The real manager, except that any direct get (which a replica may answer stale) fails the test. */
  const leaderOnly = (jsm: JetStreamManager): JetStreamManager =>
    new Proxy(jsm, {
      get: (target, property, receiver) =>
        property === 'direct'
          ? new Proxy({}, { get: () => () => Promise.reject(new Error('direct get: a replica may answer it without the latest message')) })
          : Reflect.get(target, property, receiver),
    });

  it('go to the stream leader: append read-back, last event, load and the emptiness check of a read', async () => {
    const jsm = leaderOnly(bed.jsm);
    const leaderStore = new JetStreamEventStore(bed.js, jsm, { topology: bed.topology, producer: { app: 'test', version: '1.0.0' }, clock: { now: () => at } });
    const id = randomUUID();
    const subject = bed.topology.eventSubject('request', id);
    expect(await leaderStore.load('request', id)).toEqual({ events: [], version: 0, lastSequence: 0 });
    const [first] = await leaderStore.append('request', id, [cancellationRequested(id)], { expected: 'any' });
    const [second] = await leaderStore.append('request', id, [cancellationRequested(id)], { expected: 'any' });
    expect([first!.aggregateVersion, second!.aggregateVersion]).toEqual([1, 2]);
    expect((await leaderStore.load('request', id)).events).toEqual([first, second]);
    expect(await readLastEvent(jsm, bed.topology.eventsStream, subject)).toEqual(second);
    expect(await readLastEvent(jsm, bed.topology.eventsStream, bed.topology.eventSubject('request', '*'))).toEqual(second);

    const reader = new JetStreamEventReader(bed.js, jsm, bed.topology);
    const read = async (fromSequence: number) => {
      const sequences: number[] = [];
      for await (const item of reader.read({ fromSequence })) sequences.push(item.ok ? item.event.streamSequence : item.streamSequence);
      return sequences;
    };
    expect(await read(second!.streamSequence)).toEqual([second!.streamSequence]);
    expect(await read(second!.streamSequence + 1)).toEqual([]);
  });
});
