import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AggregateMismatchError,
  defineEvent,
  encodeEnvelope,
  eventDefinition,
  EVENT_TYPE_HEADER,
  EventValidationError,
  newEvent,
  newEventId,
  type AggregateType,
  type EventDefinitionLookup,
  type EventEnvelope,
  type NewEvent,
  type Topology,
} from '#contracts';
import type { Clock } from '../clock.js';
import { ConcurrencyError, EventStoreError, InvalidAggregateIdError, UnreadableHistoryError } from '../errors.js';
import type { AppendReport } from '../event-store.js';
import type { EventReader, EventStore, ReadItem, ReadOptions } from '../ports.js';
import { activatedEnvelope as activated, cancellationRequested } from './fixtures.js';

/** An EventStore that also says which events were duplicates (both adapters have it). */
export interface ReportingEventStore extends EventStore {
  appendWithReport(...args: Parameters<EventStore['append']>): Promise<AppendReport>;
}

/** One empty events stream behind an adapter pair; each block of the contract sets up its own. */
export interface EventLogSubject {
  topology: Topology;
  store(options?: { clock?: Clock; lookup?: EventDefinitionLookup }): ReportingEventStore;
  reader: EventReader;
  /** What a buggy or hostile producer can do with the raw client: any bytes on any subject, with or without headers. Returns the sequence. */
  publishRaw(subject: string, data: Uint8Array, headers?: Record<string, string>): Promise<number>;
  /** The bytes and headers stored at `seq`, as the stream holds them. */
  stored(seq: number): Promise<{ data: Uint8Array; header(name: string): string | undefined }>;
  /** Messages in the stream. */
  count(): Promise<number>;
  teardown(): Promise<void>;
}

const at = new Date('2026-01-02T03:04:05.000Z');
const fixedClock: Clock = { now: () => at };
const producer = { app: 'test', version: '1.0.0' };
const NEW = { version: 0, lastSequence: 0 };

const readAll = async (reader: EventReader, options: ReadOptions): Promise<ReadItem[]> => {
  const items: ReadItem[] = [];
  for await (const item of reader.read(options)) items.push(item);
  return items;
};
const sequences = (items: ReadItem[]) => items.map((i) => (i.ok ? i.event.streamSequence : i.streamSequence));
const poison = (item: ReadItem | undefined) => {
  if (!item || item.ok) throw new Error(`expected a poison item, got ${JSON.stringify(item)}`);
  return item;
};

const publishEnvelope = (log: EventLogSubject, aggregate: string, subjectId: string, envelope: EventEnvelope) =>
  log.publishRaw(log.topology.eventSubject(aggregate, subjectId), encodeEnvelope(envelope));

/**
 * The behaviour every EventStore / EventReader adapter owes its callers (command handlers, process managers,
 * projections), run against JetStream and against the in-memory adapters so the two cannot drift.
 */
export const eventLogContract = (adapter: string, setup: () => Promise<EventLogSubject>): void => {
  /** A describe block with its own empty stream. */
  const withLog = (name: string, body: (subject: () => EventLogSubject) => void) =>
    describe(name, () => {
      let subject: EventLogSubject;
      beforeAll(async () => {
        subject = await setup();
      });
      afterAll(() => subject.teardown());
      body(() => subject);
    });

  describe(`event log contract: ${adapter}`, () => {
    withLog('EventStore', (log) => {
      const store = () => log().store({ clock: fixedClock });

      it('appends a new aggregate and loads it back with its envelope and position', async () => {
        const id = randomUUID();
        const appended = await store().append('request', id, [cancellationRequested(id), cancellationRequested(id)], { expected: NEW, causationId: null });
        expect(appended.map((e) => e.aggregateVersion)).toEqual([1, 2]);
        expect(appended[0]).toMatchObject({
          type: 'JobCancellationRequested',
          aggregate: 'request',
          aggregateId: id,
          occurredAt: at.toISOString(),
          correlationId: appended[0]!.eventId,
          causationId: null,
          producer,
          schemaVersion: 1,
        });
        expect(appended[1]!.correlationId).toBe(appended[0]!.eventId);
        expect(appended[1]!.streamSequence).toBeGreaterThan(appended[0]!.streamSequence);

        const loaded = await store().load('request', id);
        expect(loaded.events).toEqual(appended);
        expect(loaded).toMatchObject({ version: 2, lastSequence: appended[1]!.streamSequence });

        const more = await store().append('request', id, [cancellationRequested(id)], { expected: loaded, correlationId: appended[0]!.correlationId });
        expect(more[0]).toMatchObject({ aggregateVersion: 3, correlationId: appended[0]!.correlationId });
      });

      it('loads an aggregate that does not exist as empty at version 0', async () => {
        expect(await store().load('request', randomUUID())).toEqual({ events: [], version: 0, lastSequence: 0 });
      });

      it('stores the event type in the event-type header', async () => {
        const id = randomUUID();
        const [event] = await store().append('request', id, [cancellationRequested(id)], { expected: 'any' });
        expect((await log().stored(event!.streamSequence)).header(EVENT_TYPE_HEADER)).toBe('JobCancellationRequested');
      });

      it('creates only if new: version 0 (lastSubjectSequence 0) is refused once the aggregate exists', async () => {
        const id = randomUUID();
        await store().append('request', id, [cancellationRequested(id)], { expected: NEW });
        const second = store().append('request', id, [cancellationRequested(id)], { expected: NEW });
        await expect(second).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(second).rejects.toMatchObject({ aggregate: 'request', aggregateId: id, expected: NEW });
        expect((await store().load('request', id)).version).toBe(1);
      });

      it('refuses an append at a stale position, naming the position it expected', async () => {
        const id = randomUUID();
        const [first] = await store().append('request', id, [cancellationRequested(id)], { expected: NEW });
        const stale = { version: 1, lastSequence: first!.streamSequence };
        await store().append('request', id, [cancellationRequested(id)], { expected: stale });
        const append = store().append('request', id, [cancellationRequested(id)], { expected: stale });
        await expect(append).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(append).rejects.toMatchObject({ expected: stale, message: `request ${id} moved past version 1 (sequence ${first!.streamSequence})` });
      });

      it('lets exactly one of two concurrent appends at the same position win', async () => {
        const id = randomUUID();
        await store().append('request', id, [cancellationRequested(id)], { expected: NEW });
        const position = await store().load('request', id);
        const results = await Promise.allSettled(
          [1, 2].map(() => store().append('request', id, [cancellationRequested(id), cancellationRequested(id)], { expected: position })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(rejected).toHaveLength(1);
        expect(rejected[0]!.reason).toBeInstanceOf(ConcurrencyError);
        expect((await store().load('request', id)).events.map((e) => e.aggregateVersion)).toEqual([1, 2, 3]);
      });

      it('stores a retried event (same eventId) once and reports it as a duplicate', async () => {
        const id = randomUUID();
        const event = cancellationRequested(id, { eventId: newEventId() });
        const first = await store().appendWithReport('request', id, [event], { expected: NEW });
        const retry = await store().appendWithReport('request', id, [event], { expected: NEW });
        expect(first.duplicates).toEqual([]);
        expect(retry.duplicates).toEqual([event.eventId]);
        expect(retry.events).toEqual(first.events);
        expect((await store().load('request', id)).events).toHaveLength(1);
      });

      it('rejects an invalid payload before anything is stored', async () => {
        const id = randomUUID();
        const before = await log().count();
        const invalid = { type: 'JobCancellationRequested', data: { requestId: 'not-a-uuid', requestedBy: '', jobId: randomUUID() } } as NewEvent;
        await expect(store().append('request', id, [cancellationRequested(id), invalid], { expected: 'any' })).rejects.toBeInstanceOf(EventValidationError);
        expect(await log().count()).toBe(before);
        expect((await store().load('request', id)).events).toEqual([]);
      });

      it('rejects an event of another aggregate type', async () => {
        const wrong = newEvent('JobCancelled', { jobId: randomUUID(), reason: 'x', requestedBy: 'op' });
        await expect(store().append('request', randomUUID(), [wrong], { expected: 'any' })).rejects.toBeInstanceOf(EventValidationError);
      });

      it("numbers 'any' appends after the aggregate's last event", async () => {
        const id = randomUUID();
        await store().append('request', id, [cancellationRequested(id)], { expected: 'any' });
        const [second] = await store().append('request', id, [cancellationRequested(id)], { expected: 'any' });
        expect(second!.aggregateVersion).toBe(2);
      });

      it.each([
        { what: 'a wildcard', bad: '*' },
        { what: 'a tail wildcard', bad: '>' },
        { what: 'a dot', bad: 'a.b' },
        { what: 'whitespace', bad: 'a b' },
        { what: 'an empty id', bad: '' },
        { what: 'an id over 128 characters', bad: 'x'.repeat(129) },
      ])('refuses $what as an aggregate id in load and append, naming it, and stores nothing', async ({ bad }) => {
        const before = await log().count();
        await expect(store().load('request', bad)).rejects.toThrow(InvalidAggregateIdError);
        const append = store().append('request', bad, [cancellationRequested(randomUUID())], { expected: 'any' });
        await expect(append).rejects.toBeInstanceOf(InvalidAggregateIdError);
        await expect(append).rejects.toMatchObject({ aggregate: 'request', aggregateId: bad, message: expect.stringContaining(JSON.stringify(bad)) });
        expect(await log().count()).toBe(before);
      });

      it('accepts every aggregate id of the contract, colons included', async () => {
        const id = `4242:5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY`;
        const observed = newEvent('CommitmentObserved', {
          netuid: 4242,
          hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
          uid: 0,
          block: 1,
          blockHash: '0x00',
          raw: '0x00',
        });
        await store().append('commitment', id, [observed], { expected: NEW });
        expect((await store().load('commitment', id)).version).toBe(1);
      });
    });

    withLog('EventReader', (log) => {
      const reader = () => log().reader;
      const appendOne = (type: 'request' | 'competition' = 'request') => {
        const id = randomUUID();
        const event = type === 'request' ? cancellationRequested(id) : newEvent('CompetitionActivated', { competitionId: id, activatedBy: 'op' });
        return log().store().append(type, id, [event], { expected: NEW });
      };

      it('reads nothing from an empty stream and reports sequence 0', async () => {
        expect(await reader().lastSequence()).toBe(0);
        expect(await readAll(reader(), { fromSequence: 1 })).toEqual([]);
        expect(await readAll(reader(), { fromSequence: 1, toSequence: 10 })).toEqual([]);
      });

      it('reads in stream order within fromSequence / toSequence', async () => {
        const appended = [];
        for (let i = 0; i < 10; i++) appended.push(...(await appendOne()));
        const last = await reader().lastSequence();
        expect(last).toBe(10);
        const all = await readAll(reader(), { fromSequence: 1 });
        expect(sequences(all)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(all.map((i) => i.ok && i.event)).toEqual(appended);
        expect(sequences(await readAll(reader(), { fromSequence: 3, toSequence: 6 }))).toEqual([3, 4, 5, 6]);
        expect(sequences(await readAll(reader(), { fromSequence: 8, toSequence: 50 }))).toEqual([8, 9, 10]);
        expect(sequences(await readAll(reader(), { fromSequence: last + 1 }))).toEqual([]);
        expect(sequences(await readAll(reader(), { fromSequence: 5, toSequence: 4 }))).toEqual([]);
      });

      it('stops at the first event recorded after `until`', async () => {
        const before = await reader().lastSequence();
        await appendOne();
        await new Promise((resolve) => setTimeout(resolve, 5));
        const cut = new Date();
        await new Promise((resolve) => setTimeout(resolve, 5));
        await appendOne();
        expect(sequences(await readAll(reader(), { fromSequence: 1, until: cut })).at(-1)).toBe(before + 1);
        expect(sequences(await readAll(reader(), { fromSequence: 1, toSequence: before + 2, until: cut })).at(-1)).toBe(before + 1);
      });

      it('yields a poison message as ok:false and goes on', async () => {
        const subject = log().topology.eventSubject('request', 'poison');
        const seq = await log().publishRaw(subject, new Uint8Array([0xff, 0x00, 0x7b]));
        const [after] = await appendOne();
        const items = await readAll(reader(), { fromSequence: seq });
        expect(items).toHaveLength(2);
        const [bad, good] = items;
        expect(bad).toMatchObject({ ok: false, streamSequence: seq, subject, raw: new Uint8Array([0xff, 0x00, 0x7b]) });
        expect(poison(bad).error).toBeInstanceOf(EventValidationError);
        expect(new Date(poison(bad).recordedAt).getTime()).not.toBeNaN();
        expect(good).toMatchObject({ ok: true, event: { eventId: after!.eventId } });
      });

      it('with `types`, yields only those types, and still a message without a type header', async () => {
        const start = (await reader().lastSequence()) + 1;
        const [competition] = await appendOne('competition');
        await appendOne('request');
        const headerless = await log().publishRaw(log().topology.eventSubject('request', 'no-header'), new Uint8Array([0x7b]));
        // A header naming a wanted type does not make a message valid: it is decoded, and poison.
        const lying = await log().publishRaw(log().topology.eventSubject('request', 'lying'), new Uint8Array([0x7b]), {
          [EVENT_TYPE_HEADER]: 'CompetitionActivated',
        });
        const [competition2] = await appendOne('competition');
        const expected = [competition!.streamSequence, headerless, lying, competition2!.streamSequence];
        const types = ['CompetitionActivated'] as const;
        // Bounded (a short range) and open reads both filter.
        expect(sequences(await readAll(reader(), { fromSequence: start, toSequence: start + 4, types }))).toEqual(expected);
        const open = await readAll(reader(), { fromSequence: start, types });
        expect(sequences(open)).toEqual(expected);
        expect(open.map((i) => i.ok)).toEqual([true, false, false, true]);
        expect(await readAll(reader(), { fromSequence: start, toSequence: start + 1, types: [] })).toEqual([]);
      });

      it('delivers events appended during the read, in order, without gaps', async () => {
        const start = (await reader().lastSequence()) + 1;
        for (let i = 0; i < 200; i++) await appendOne();
        const writer = (async () => {
          for (let i = 0; i < 100; i++) await appendOne();
        })();
        const seen: number[] = [];
        for await (const item of reader().read({ fromSequence: start })) {
          seen.push(item.ok ? item.event.streamSequence : item.streamSequence);
          if (seen.length % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        }
        await writer;
        expect(seen).toEqual([...Array(seen.length).keys()].map((i) => start + i));
        expect(seen.length).toBeGreaterThanOrEqual(200);
      });

      it('keeps following the stream with follow: true', async () => {
        const start = (await reader().lastSequence()) + 1;
        const iterator = reader().read({ fromSequence: start, follow: true })[Symbol.asyncIterator]();
        const next = iterator.next();
        const [appended] = await appendOne();
        expect((await next).value).toMatchObject({ ok: true, event: { eventId: appended!.eventId } });
        await iterator.return?.();
      });
    });

    withLog('subject, envelope and payload name the same aggregate', (log) => {
      const readAt = async (seq: number): Promise<ReadItem> => {
        for await (const item of log().reader.read({ fromSequence: seq, toSequence: seq })) return item;
        throw new Error(`nothing at ${seq}`);
      };

      it('a reader treats an event published on another aggregate’s subject as poison, naming the subject', async () => {
        const item = await readAt(await publishEnvelope(log(), 'competition', 'aaa-subject', activated('bbb-subject', 'bbb-subject')));
        expect(poison(item).error).toBeInstanceOf(AggregateMismatchError);
        expect((poison(item).error as AggregateMismatchError).issues.map((i) => i.path)).toEqual(['subject']);
      });

      it('a reader treats an envelope whose payload names another aggregate as poison, naming the aggregateId', async () => {
        const item = await readAt(await publishEnvelope(log(), 'competition', 'aaa-payload', activated('aaa-payload', 'bbb-payload')));
        expect((poison(item).error as AggregateMismatchError).issues.map((i) => i.path)).toEqual(['aggregateId']);
      });

      it('loading such an aggregate fails loudly, saying where, instead of deciding on a stranger’s event', async () => {
        const seq = await publishEnvelope(log(), 'competition', 'aaa-load', activated('bbb-load', 'bbb-load'));
        const load = log().store().load('competition', 'aaa-load');
        await expect(load).rejects.toBeInstanceOf(UnreadableHistoryError);
        await expect(load).rejects.toMatchObject({ aggregate: 'competition', aggregateId: 'aaa-load', streamSequence: seq });
      });

      it("an 'any' append after such a message refuses to number past it", async () => {
        await publishEnvelope(log(), 'competition', 'aaa-any', activated('bbb-any', 'bbb-any'));
        const append = log()
          .store()
          .append('competition', 'aaa-any', [newEvent('CompetitionActivated', { competitionId: 'aaa-any', activatedBy: 'x' })], { expected: 'any' });
        await expect(append).rejects.toBeInstanceOf(EventStoreError);
      });

      it('a reader still reads agreeing events around them', async () => {
        expect(await readAt(await publishEnvelope(log(), 'competition', 'fine', activated('fine', 'fine')))).toMatchObject({
          ok: true,
          event: { aggregateId: 'fine', data: { competitionId: 'fine' } },
        });
      });

      it('the store refuses to append an event whose payload names another aggregate, and stores nothing', async () => {
        const before = await log().count();
        const append = log()
          .store()
          .append('competition', 'mine', [newEvent('CompetitionActivated', { competitionId: 'theirs', activatedBy: 'x' })], { expected: 'any' });
        await expect(append).rejects.toBeInstanceOf(AggregateMismatchError);
        await expect(append).rejects.toMatchObject({ issues: [{ path: 'aggregateId' }] });
        expect(await log().count()).toBe(before);
      });

      it('refuses strings Postgres cannot hold on append, naming the field', async () => {
        const id = randomUUID();
        const append = log()
          .store()
          .append('request', id, [newEvent('JobCancellationRequested', { requestId: id, requestedBy: 'op\u0000', jobId: randomUUID() })], { expected: 'any' });
        await expect(append).rejects.toBeInstanceOf(EventValidationError);
        await expect(append).rejects.toMatchObject({ issues: [{ path: 'requestedBy' }] });
      });

      it('reads such strings as poison when a raw publish slipped them in', async () => {
        const envelope = { ...activated('nul', 'nul'), data: { competitionId: 'nul', activatedBy: 'a\u0000b' } } as EventEnvelope;
        const item = await readAt(await publishEnvelope(log(), 'competition', 'nul', envelope));
        expect((poison(item).error as EventValidationError).issues.map((i) => i.path)).toEqual(['activatedBy']);
      });
    });

    withLog('schema versions', (log) => {
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
      const things = () => log().store({ lookup });

      it('writes the definition’s current version, so a v2 payload reads back unchanged (not upcast as if v1)', async () => {
        const id = randomUUID();
        const event = { type: 'ThingRenamed', data: { thingId: id, name: 'Robo' } } as unknown as NewEvent;
        const [appended] = await things().append('thing' as AggregateType, id, [event], { expected: NEW });
        expect(appended).toMatchObject({ schemaVersion: 2, data: { thingId: id, name: 'Robo' } });
        const stored = JSON.parse(new TextDecoder().decode((await log().stored(appended!.streamSequence)).data)) as { schemaVersion: number };
        expect(stored.schemaVersion).toBe(2);
        expect((await things().load('thing' as AggregateType, id)).events).toEqual([appended]);
      });

      it('still upcasts what was stored at v1', async () => {
        const id = randomUUID();
        const v1 = { ...activated(id, id), type: 'ThingRenamed', aggregate: 'thing', data: { thingId: id, title: 'Old' } } as unknown as EventEnvelope;
        await publishEnvelope(log(), 'thing', id, v1);
        const [loaded] = (await things().load('thing' as AggregateType, id)).events;
        expect(loaded).toMatchObject({ schemaVersion: 2, data: { thingId: id, name: 'v1 title: Old' } });
      });
    });
  });
};
