import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AggregateMismatchError,
  defineEvent,
  encodeEnvelope,
  eventDefinition,
  EventValidationError,
  newEvent,
  newEventId,
  type AggregateType,
  type EventDefinitionLookup,
  type EventEnvelope,
  type NewEvent,
} from '#contracts';
import { eventually } from '#testing';
import { runConsumer } from './consumer-runner.js';
import { DeadLetters } from './dead-letters.js';
import { EventStoreError } from './errors.js';
import { JetStreamEventReader } from './event-reader.js';
import { JetStreamEventStore } from './event-store.js';
import type { ReadItem } from './ports.js';
import { startTestBed, type EventingTestBed } from './testing/test-bed.js';

let bed: EventingTestBed;
let store: JetStreamEventStore;
let reader: JetStreamEventReader;
const producer = { app: 'test', version: '1.0.0' };

beforeAll(async () => {
  bed = await startTestBed('event agreement');
  store = new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer });
  reader = new JetStreamEventReader(bed.js, bed.jsm, bed.topology);
});
afterAll(() => bed.dispose());

const readAt = async (seq: number): Promise<ReadItem> => {
  for await (const item of reader.read({ fromSequence: seq, toSequence: seq })) return item;
  throw new Error(`nothing at ${seq}`);
};

const activated = (aggregateId: string, competitionId: string): EventEnvelope =>
  ({
    eventId: newEventId(),
    type: 'CompetitionActivated',
    schemaVersion: 1,
    aggregate: 'competition',
    aggregateId,
    aggregateVersion: 1,
    occurredAt: '2026-11-24T10:00:00.000Z',
    correlationId: newEventId(),
    causationId: null,
    producer,
    data: { competitionId, activatedBy: 'admin' },
  }) as EventEnvelope;

/** What a buggy or hostile producer can do with the raw client: publish any bytes on any subject. */
const publishRaw = async (aggregate: string, subjectId: string, envelope: EventEnvelope) =>
  (await bed.js.publish(bed.topology.eventSubject(aggregate, subjectId), encodeEnvelope(envelope))).seq;

describe('subject, envelope and payload name the same aggregate', () => {
  it('a reader treats an event published on another aggregate’s subject as poison, naming the subject', async () => {
    const seq = await publishRaw('competition', 'aaa-subject', activated('bbb-subject', 'bbb-subject'));
    const item = await readAt(seq);
    expect(item.ok).toBe(false);
    const error = (item as Extract<ReadItem, { ok: false }>).error;
    expect(error).toBeInstanceOf(AggregateMismatchError);
    expect((error as AggregateMismatchError).issues.map((i) => i.path)).toEqual(['subject']);
  });

  it('a reader treats an envelope whose payload names another aggregate as poison, naming the aggregateId', async () => {
    const seq = await publishRaw('competition', 'aaa-payload', activated('aaa-payload', 'bbb-payload'));
    const item = await readAt(seq);
    expect(item.ok).toBe(false);
    expect(((item as Extract<ReadItem, { ok: false }>).error as AggregateMismatchError).issues.map((i) => i.path)).toEqual(['aggregateId']);
  });

  it('loading such an aggregate fails loudly instead of deciding on a stranger’s event', async () => {
    await publishRaw('competition', 'aaa-load', activated('bbb-load', 'bbb-load'));
    await expect(store.load('competition', 'aaa-load')).rejects.toBeInstanceOf(EventStoreError);
  });

  it('a reader still reads agreeing events around them', async () => {
    const seq = await publishRaw('competition', 'fine', activated('fine', 'fine'));
    expect(await readAt(seq)).toMatchObject({ ok: true, event: { aggregateId: 'fine', data: { competitionId: 'fine' } } });
  });

  it('a consumer dead-letters an event on another aggregate’s subject, naming the subject, and handles the next one', async () => {
    const seq = await publishRaw('competition', 'aaa-consumer', activated('bbb-consumer', 'bbb-consumer'));
    const next = await publishRaw('competition', 'aaa-consumer', activated('aaa-consumer', 'aaa-consumer'));
    const seen: number[] = [];
    const deadLetters = new DeadLetters(bed.js, bed.jsm, bed.topology);
    const consumer = await runConsumer({
      js: bed.js,
      jsm: bed.jsm,
      topology: bed.topology,
      durable: 'agreement',
      filterSubject: bed.topology.eventSubject('competition', 'aaa-consumer'),
      maxDeliver: 3,
      backoffMs: [10],
      ackWaitMs: 5_000,
      deadLetters,
      handler: async (event) => void seen.push(event.streamSequence),
    });
    try {
      await eventually('the agreeing event handled', () => seen.includes(next));
      expect(seen).toEqual([next]);
      const [letter] = await deadLetters.list({ consumer: 'agreement' });
      expect(letter).toMatchObject({ streamSequence: seq, issues: [{ path: 'subject' }] });
    } finally {
      await consumer.stop();
    }
  });

  it('the store refuses to append an event whose payload names another aggregate, and stores nothing', async () => {
    const before = (await bed.jsm.streams.info(bed.topology.eventsStream)).state.messages;
    const append = store.append('competition', 'mine', [newEvent('CompetitionActivated', { competitionId: 'theirs', activatedBy: 'x' })], {
      expected: 'any',
    });
    await expect(append).rejects.toBeInstanceOf(AggregateMismatchError);
    await expect(append).rejects.toMatchObject({ issues: [{ path: 'aggregateId' }] });
    expect((await bed.jsm.streams.info(bed.topology.eventsStream)).state.messages).toBe(before);
  });
});

describe('strings Postgres cannot hold', () => {
  it('are refused on append with the field named', async () => {
    const id = randomUUID();
    const append = store.append('request', id, [newEvent('JobCancellationRequested', { requestId: id, requestedBy: 'op\u0000', jobId: randomUUID() })], {
      expected: 'any',
    });
    await expect(append).rejects.toBeInstanceOf(EventValidationError);
    await expect(append).rejects.toMatchObject({ issues: [{ path: 'requestedBy' }] });
  });

  it('are poison when a raw publish slipped them in', async () => {
    const envelope = { ...activated('nul', 'nul'), data: { competitionId: 'nul', activatedBy: 'a\u0000b' } } as EventEnvelope;
    const item = await readAt(await publishRaw('competition', 'nul', envelope));
    expect(item.ok).toBe(false);
    expect(((item as Extract<ReadItem, { ok: false }>).error as EventValidationError).issues.map((i) => i.path)).toEqual(['activatedBy']);
  });
});

describe('schema versions', () => {
  // A test-only type at v2 (v1 called the field `title`), known only to this store: the catalogue stays as shipped.
  const renamed = defineEvent({
    type: 'ThingRenamed',
    aggregate: 'thing',
    description: 'test-only event at schema version 2',
    schemaVersion: 2,
    schema: z.object({ thingId: z.string(), name: z.string().min(1) }),
    aggregateKey: (d) => [d.thingId],
    upcasters: { 1: (d) => ({ thingId: d.thingId, name: `v1 title: ${String(d.title)}` }) },
  });
  const lookup: EventDefinitionLookup = (type) => (type === renamed.type ? renamed : eventDefinition(type));
  const thingStore = () => new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer, lookup });

  it('writes the definition’s current version, so a v2 payload reads back unchanged (not upcast as if v1)', async () => {
    const things = thingStore();
    const id = randomUUID();
    const event = { type: 'ThingRenamed', data: { thingId: id, name: 'Robo' } } as unknown as NewEvent;
    const [appended] = await things.append('thing' as AggregateType, id, [event], { expected: { version: 0, lastSequence: 0 } });
    expect(appended).toMatchObject({ schemaVersion: 2, data: { thingId: id, name: 'Robo' } });
    const stored = await bed.jsm.streams.getMessage(bed.topology.eventsStream, { seq: appended!.streamSequence });
    expect(stored!.json<{ schemaVersion: number }>().schemaVersion).toBe(2);
    expect((await things.load('thing' as AggregateType, id)).events).toEqual([appended]);
  });

  it('still upcasts what was stored at v1', async () => {
    const id = randomUUID();
    const v1 = { ...activated(id, id), type: 'ThingRenamed', aggregate: 'thing', data: { thingId: id, title: 'Old' } } as unknown as EventEnvelope;
    await publishRaw('thing', id, v1);
    const [loaded] = (await thingStore().load('thing' as AggregateType, id)).events;
    expect(loaded).toMatchObject({ schemaVersion: 2, data: { thingId: id, name: 'v1 title: Old' } });
  });
});
