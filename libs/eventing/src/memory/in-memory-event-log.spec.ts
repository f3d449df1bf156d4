import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { newEventId, topology } from '#contracts';
import { eventLogContract } from '../testing/event-log.contract.js';
import { cancellationRequested } from '../testing/fixtures.js';
import { DUPLICATE_WINDOW_MS } from '../topology.js';
import { InMemoryEventReader } from './in-memory-event-reader.js';
import { InMemoryEventStore } from './in-memory-event-store.js';
import { InMemoryEventLog } from './in-memory-log.js';

const producer = { app: 'test', version: '1.0.0' };

eventLogContract('in memory', async () => {
  const log = new InMemoryEventLog();
  const t = topology('memory');
  return {
    topology: t,
    store: (options = {}) => new InMemoryEventStore(log, { topology: t, producer, ...options }),
    reader: new InMemoryEventReader(log),
    publishRaw: async (subject, data, headers) => log.publish(subject, data, headers ? { headers } : {}).seq,
    stored: async (seq) => {
      const msg = log.at(seq);
      if (!msg) throw new Error(`no message at ${seq}`);
      return { data: msg.data, header: (name) => msg.headers.get(name) };
    },
    count: async () => log.lastSequence,
    teardown: async () => undefined,
  };
});

describe('InMemoryEventLog, where it stands in for the server', () => {
  it('stamps recordedAt with its own clock, occurredAt with the store’s', async () => {
    let serverNow = Date.parse('2026-05-01T00:00:00.000Z');
    const log = new InMemoryEventLog({ now: () => new Date(serverNow) });
    const store = new InMemoryEventStore(log, { producer, clock: { now: () => new Date('2026-04-30T23:59:59.000Z') } });
    const id = randomUUID();
    const [first] = await store.append('request', id, [cancellationRequested(id)], { expected: 'any' });
    serverNow += 1500;
    const [second] = await store.append('request', id, [cancellationRequested(id)], { expected: 'any' });
    expect([first!.recordedAt, second!.recordedAt]).toEqual(['2026-05-01T00:00:00.000Z', '2026-05-01T00:00:01.500Z']);
    expect(first!.occurredAt).toBe('2026-04-30T23:59:59.000Z');
  });

  it('forgets an event id once the duplicate window has passed, as the server does', async () => {
    let serverNow = Date.parse('2026-05-01T00:00:00.000Z');
    const log = new InMemoryEventLog({ now: () => new Date(serverNow) });
    const store = new InMemoryEventStore(log, { producer });
    const id = randomUUID();
    const event = cancellationRequested(id, { eventId: newEventId() });
    await store.append('request', id, [event], { expected: 'any' });
    serverNow += DUPLICATE_WINDOW_MS - 1;
    expect((await store.appendWithReport('request', id, [event], { expected: 'any' })).duplicates).toEqual([event.eventId]);
    serverNow += 1;
    expect((await store.appendWithReport('request', id, [event], { expected: 'any' })).duplicates).toEqual([]);
    expect(log.lastSequence).toBe(2);
  });

  it('keeps what was published even if the publisher reuses its buffer', async () => {
    const log = new InMemoryEventLog();
    const bytes = new Uint8Array([1, 2, 3]);
    log.publish('memory.evt.x.y', bytes);
    bytes[0] = 9;
    expect([...log.at(1)!.data]).toEqual([1, 2, 3]);
    expect(await new InMemoryEventReader(log).lastSequence()).toBe(1);
  });
});
