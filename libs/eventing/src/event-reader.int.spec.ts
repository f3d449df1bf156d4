import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventValidationError } from '#contracts';
import { JetStreamEventReader } from './event-reader.js';
import { JetStreamEventStore } from './event-store.js';
import type { ReadItem, ReadOptions } from './ports.js';
import { cancellationRequested, startTestBed, type EventingTestBed } from './testing/test-bed.js';

let bed: EventingTestBed;
let store: JetStreamEventStore;
let reader: JetStreamEventReader;

beforeAll(async () => {
  bed = await startTestBed('event reader');
  store = new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer: { app: 'test', version: '1' } });
  reader = new JetStreamEventReader(bed.js, bed.jsm, bed.topology);
});
afterAll(() => bed.dispose());

const readAll = async (options: ReadOptions): Promise<ReadItem[]> => {
  const items: ReadItem[] = [];
  for await (const item of reader.read(options)) items.push(item);
  return items;
};
const sequences = (items: ReadItem[]) => items.map((i) => (i.ok ? i.event.streamSequence : i.streamSequence));
const appendOne = () => {
  const id = randomUUID();
  return store.append('request', id, [cancellationRequested(id)], { expected: { version: 0, lastSequence: 0 } });
};

describe('JetStreamEventReader', () => {
  it('reads nothing from an empty stream and reports sequence 0', async () => {
    expect(await reader.lastSequence()).toBe(0);
    expect(await readAll({ fromSequence: 1 })).toEqual([]);
  });

  it('reads in stream order within fromSequence / toSequence', async () => {
    for (let i = 0; i < 10; i++) await appendOne();
    const last = await reader.lastSequence();
    expect(sequences(await readAll({ fromSequence: 1 }))).toEqual([...Array(last).keys()].map((i) => i + 1));
    expect(sequences(await readAll({ fromSequence: 3, toSequence: 6 }))).toEqual([3, 4, 5, 6]);
    expect(sequences(await readAll({ fromSequence: last + 1 }))).toEqual([]);
    expect(sequences(await readAll({ fromSequence: 5, toSequence: 4 }))).toEqual([]);
  });

  it('stops at the first event recorded after `until`', async () => {
    const before = await reader.lastSequence();
    await appendOne();
    const cut = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await appendOne();
    const items = await readAll({ fromSequence: 1, until: cut });
    expect(sequences(items).at(-1)).toBe(before + 1);
  });

  it('yields a poison message as ok:false and goes on', async () => {
    await bed.js.publish(bed.topology.eventSubject('request', 'poison'), new Uint8Array([0xff, 0x00, 0x7b]));
    const [after] = await appendOne();
    const items = await readAll({ fromSequence: after!.streamSequence - 1 });
    expect(items).toHaveLength(2);
    const [poison, good] = items;
    expect(poison).toMatchObject({ ok: false, subject: bed.topology.eventSubject('request', 'poison'), raw: new Uint8Array([0xff, 0x00, 0x7b]) });
    expect(poison!.ok === false && poison!.error).toBeInstanceOf(EventValidationError);
    expect(good).toMatchObject({ ok: true, event: { eventId: after!.eventId } });
  });

  it('delivers events appended during the read, in order, without gaps', async () => {
    const start = (await reader.lastSequence()) + 1;
    for (let i = 0; i < 200; i++) await appendOne();
    const writer = (async () => {
      for (let i = 0; i < 100; i++) await appendOne();
    })();
    const seen: number[] = [];
    for await (const item of reader.read({ fromSequence: start })) {
      seen.push(item.ok ? item.event.streamSequence : item.streamSequence);
      if (seen.length % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await writer;
    expect(seen).toEqual([...Array(seen.length).keys()].map((i) => start + i));
    expect(seen.length).toBeGreaterThanOrEqual(200);
  });

  it('keeps following the stream with follow: true', async () => {
    const start = (await reader.lastSequence()) + 1;
    const iterator = reader.read({ fromSequence: start, follow: true })[Symbol.asyncIterator]();
    const next = iterator.next();
    const [appended] = await appendOne();
    const { value } = await next;
    expect(value).toMatchObject({ ok: true, event: { eventId: appended!.eventId } });
    await iterator.return?.();
  });
});
