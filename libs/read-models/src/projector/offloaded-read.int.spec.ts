import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStoreError, JetStreamEventReader, OffloadedEventReader, type ReadItem } from '#eventing';
import { startProjectionBed, type ProjectionBed } from '../testing/harness.js';
import { platformScenario } from '../testing/scenario.js';

// The replay's reads in worker threads (bed.reader: OffloadedEventReader, from the first event on, two workers
// reading segments of 16 by turns) against the same read in this thread: the same items in the same order, poison
// ones with the same typed error.
let bed: ProjectionBed;
let poisonAt: number;

beforeAll(async () => {
  bed = await startProjectionBed('offloaded read');
  await bed.append(platformScenario('a'));
  poisonAt = (await bed.nats.js.publish(bed.topology.eventSubject('competition', 'broken'), new TextEncoder().encode('{"not": "an event"'))).seq;
  await bed.append(platformScenario('b'));
});

afterAll(async () => {
  await bed?.dispose();
});

const batchesOf = async (fromSequence: number, maxSize: number, toSequence?: number): Promise<ReadItem[][]> => {
  const out: ReadItem[][] = [];
  for await (const batch of bed.reader.readBatches({ fromSequence, toSequence, maxSize })) out.push(batch);
  return out;
};

const comparable = (item: ReadItem) =>
  item.ok ? item : { ...item, error: { name: item.error.name, message: item.error.message, class: item.error.constructor.name } };

describe('batched reads in a worker thread', () => {
  it('yields what a read in this thread yields, in full batches but the last, a poison message with its typed error', async () => {
    const inThread = await bed.readFrom(1);
    const batches = await batchesOf(1, 7);
    expect(batches.slice(0, -1).every((batch) => batch.length === 7)).toBe(true);
    expect(batches.at(-1)!.length).toBeGreaterThan(0);
    expect(batches.flat().map(comparable)).toEqual(inThread.map(comparable));
    const poison = batches.flat().find((item) => !item.ok);
    expect(poison).toMatchObject({ ok: false, streamSequence: poisonAt });
    expect(inThread.length).toBeGreaterThan(2 * 7);
  });

  it('reads a bounded range, and reads again after a caller stopped early', async () => {
    for await (const first of bed.reader.readBatches({ fromSequence: 1, maxSize: 3 })) {
      expect(first.map((item) => (item.ok ? item.event.streamSequence : item.streamSequence))).toEqual([1, 2, 3]);
      break;
    }
    const range = (await batchesOf(4, 5, poisonAt)).flat();
    expect(range.map((item) => (item.ok ? item.event.streamSequence : item.streamSequence))).toEqual(Array.from({ length: poisonAt - 3 }, (_, i) => i + 4));
  });

  it('reads segments by turns, in order, with what is appended during the read, and to an instant in one segment', async () => {
    const reader = new OffloadedEventReader(new JetStreamEventReader(bed.nats.js, bed.nats.jsm, bed.topology), {
      natsUrl: bed.natsUrl,
      stream: bed.topology.eventsStream,
      minEvents: 1,
      segmentEvents: 3,
    });
    try {
      const before = await bed.reader.lastSequence();
      const seen: number[] = [];
      let appended = false;
      for await (const batch of reader.readBatches({ fromSequence: 1, maxSize: 5 })) {
        seen.push(...batch.map((item) => (item.ok ? item.event.streamSequence : item.streamSequence)));
        if (!appended) {
          // While the first segments are being read: the last segment reads on past the end as it was.
          await bed.append(platformScenario('c'));
          appended = true;
        }
      }
      const after = await bed.reader.lastSequence();
      expect(after).toBeGreaterThan(before);
      expect(seen).toEqual(Array.from({ length: after }, (_, i) => i + 1));

      const cut = (await bed.readFrom(1)).find((item) => item.ok && item.event.streamSequence === poisonAt + 2)!;
      const until = new Date(cut.ok ? cut.event.recordedAt : 0);
      // Expected from a read in this thread, independent of the worker path under test.
      const toInstant = (await bed.readFrom(1)).filter((item) => new Date(item.ok ? item.event.recordedAt : item.recordedAt) <= until);
      const read: ReadItem[] = [];
      for await (const batch of reader.readBatches({ fromSequence: 1, maxSize: 4, until })) read.push(...batch);
      expect(read.map(comparable)).toEqual(toInstant.map(comparable));
    } finally {
      await reader.close();
    }
  });

  it('fails a read whose worker ends under it with an EventStoreError, and the next read starts another', async () => {
    const reading = bed.reader.readBatches({ fromSequence: 1, maxSize: 1 })[Symbol.asyncIterator]();
    expect((await reading.next()).done).toBe(false);
    await bed.reader.close();
    const rest = (async () => {
      for (let next = await reading.next(); !next.done; next = await reading.next());
    })();
    await expect(rest).rejects.toThrow(EventStoreError);
    expect((await batchesOf(1, 100)).flat().length).toBe((await bed.readFrom(1)).length);
  });
});
