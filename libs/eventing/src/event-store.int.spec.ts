import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventValidationError, newEvent, newEventId, type NewEvent } from '#contracts';
import type { JetStreamManager } from '@nats-io/jetstream';
import { ConcurrencyError, InvalidAggregateIdError } from './errors.js';
import { JetStreamEventReader } from './event-reader.js';
import { JetStreamEventStore } from './event-store.js';
import { readLastEvent } from './last-event.js';
import { cancellationRequested, startTestBed, type EventingTestBed } from './testing/test-bed.js';

const at = new Date('2026-01-02T03:04:05.000Z');
let bed: EventingTestBed;
let store: JetStreamEventStore;

beforeAll(async () => {
  bed = await startTestBed('event store');
  store = new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer: { app: 'test', version: '1.0.0' }, clock: { now: () => at } });
});
afterAll(() => bed.dispose());

const streamCount = async () => (await bed.jsm.streams.info(bed.topology.eventsStream)).state.messages;

describe('JetStreamEventStore', () => {
  it('appends a new aggregate and loads it back with its envelope and position', async () => {
    const id = randomUUID();
    const appended = await store.append('request', id, [cancellationRequested(id), cancellationRequested(id)], {
      expected: { version: 0, lastSequence: 0 },
      causationId: null,
    });
    expect(appended.map((e) => e.aggregateVersion)).toEqual([1, 2]);
    expect(appended[0]).toMatchObject({
      type: 'JobCancellationRequested',
      aggregate: 'request',
      aggregateId: id,
      occurredAt: at.toISOString(),
      correlationId: appended[0]!.eventId,
      causationId: null,
      producer: { app: 'test', version: '1.0.0' },
      schemaVersion: 1,
    });
    expect(appended[1]!.correlationId).toBe(appended[0]!.eventId);
    expect(appended[1]!.streamSequence).toBeGreaterThan(appended[0]!.streamSequence);

    const loaded = await store.load('request', id);
    expect(loaded.events).toEqual(appended);
    expect(loaded).toMatchObject({ version: 2, lastSequence: appended[1]!.streamSequence });

    const more = await store.append('request', id, [cancellationRequested(id)], { expected: loaded, correlationId: appended[0]!.correlationId });
    expect(more[0]).toMatchObject({ aggregateVersion: 3, correlationId: appended[0]!.correlationId });
  });

  it('loads an aggregate that does not exist as empty at version 0', async () => {
    expect(await store.load('request', randomUUID())).toEqual({ events: [], version: 0, lastSequence: 0 });
  });

  it('sends the event type as a header', async () => {
    const id = randomUUID();
    const [event] = await store.append('request', id, [cancellationRequested(id)], { expected: 'any' });
    const stored = await bed.jsm.direct.getMessage(bed.topology.eventsStream, { seq: event!.streamSequence });
    expect(stored!.header.get('Kinitro-Event-Type')).toBe('JobCancellationRequested');
    expect(stored!.header.get('Nats-Msg-Id')).toBe(event!.eventId);
  });

  it('creates only if new: version 0 (lastSubjectSequence 0) is refused once the aggregate exists', async () => {
    const id = randomUUID();
    await store.append('request', id, [cancellationRequested(id)], { expected: { version: 0, lastSequence: 0 } });
    const second = store.append('request', id, [cancellationRequested(id)], { expected: { version: 0, lastSequence: 0 } });
    await expect(second).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(second).rejects.toMatchObject({ aggregate: 'request', aggregateId: id, expected: { version: 0, lastSequence: 0 } });
    expect((await store.load('request', id)).version).toBe(1);
  });

  it('lets exactly one of two concurrent appends at the same position win', async () => {
    const id = randomUUID();
    await store.append('request', id, [cancellationRequested(id)], { expected: { version: 0, lastSequence: 0 } });
    const position = await store.load('request', id);
    const results = await Promise.allSettled(
      [1, 2].map(() => store.append('request', id, [cancellationRequested(id), cancellationRequested(id)], { expected: position })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(ConcurrencyError);
    const after = await store.load('request', id);
    expect(after.events.map((e) => e.aggregateVersion)).toEqual([1, 2, 3]);
  });

  it('stores a retried event (same eventId) once and reports it as a duplicate', async () => {
    const id = randomUUID();
    const event = cancellationRequested(id, { eventId: newEventId() });
    const first = await store.appendWithReport('request', id, [event], { expected: { version: 0, lastSequence: 0 } });
    const retry = await store.appendWithReport('request', id, [event], { expected: { version: 0, lastSequence: 0 } });
    expect(first.duplicates).toEqual([]);
    expect(retry.duplicates).toEqual([event.eventId]);
    expect(retry.events).toEqual(first.events);
    expect((await store.load('request', id)).events).toHaveLength(1);
  });

  it('rejects an invalid payload before anything is published', async () => {
    const id = randomUUID();
    const before = await streamCount();
    const invalid = { type: 'JobCancellationRequested', data: { requestId: 'not-a-uuid', requestedBy: '', jobId: randomUUID() } } as NewEvent;
    await expect(store.append('request', id, [cancellationRequested(id), invalid], { expected: 'any' })).rejects.toBeInstanceOf(EventValidationError);
    expect(await streamCount()).toBe(before);
    expect((await store.load('request', id)).events).toEqual([]);
  });

  it('rejects an event of another aggregate type', async () => {
    const wrong = newEvent('JobCancelled', { jobId: randomUUID(), reason: 'x', requestedBy: 'op' });
    await expect(store.append('request', randomUUID(), [wrong], { expected: 'any' })).rejects.toBeInstanceOf(EventValidationError);
  });

  it("numbers 'any' appends after the aggregate's last event", async () => {
    const id = randomUUID();
    await store.append('request', id, [cancellationRequested(id)], { expected: 'any' });
    const [second] = await store.append('request', id, [cancellationRequested(id)], { expected: 'any' });
    expect(second!.aggregateVersion).toBe(2);
  });
});

describe('aggregate ids', () => {
  it.each([
    { what: 'a wildcard', bad: '*' },
    { what: 'a tail wildcard', bad: '>' },
    { what: 'a dot', bad: 'a.b' },
    { what: 'whitespace', bad: 'a b' },
    { what: 'an empty id', bad: '' },
    { what: 'an id over 128 characters', bad: 'x'.repeat(129) },
  ])('refuses $what in load and append, naming it, and stores nothing', async ({ bad }) => {
    const before = await streamCount();
    await expect(store.load('request', bad)).rejects.toThrow(InvalidAggregateIdError);
    const append = store.append('request', bad, [cancellationRequested(randomUUID())], { expected: 'any' });
    await expect(append).rejects.toBeInstanceOf(InvalidAggregateIdError);
    await expect(append).rejects.toMatchObject({ aggregate: 'request', aggregateId: bad, message: expect.stringContaining(JSON.stringify(bad)) });
    expect(await streamCount()).toBe(before);
  });

  it('accepts every id of the contract, colons included', async () => {
    const hotkey = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    const netuid = 1000 + Math.floor(Math.random() * 1_000_000);
    const id = `${netuid}:${hotkey}`;
    const observed = newEvent('CommitmentObserved', { netuid, hotkey, uid: 0, block: 1, blockHash: '0x00', raw: '0x00' });
    await store.append('commitment', id, [observed], { expected: { version: 0, lastSequence: 0 } });
    expect((await store.load('commitment', id)).version).toBe(1);
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
