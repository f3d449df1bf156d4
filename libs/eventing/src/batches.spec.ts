import { describe, expect, it } from '@jest/globals';
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { batches, readAhead } from './batches.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

/** Items that arrive in bursts: each inner array at once, then a pause until `next()` is called. */
const bursts = (groups: number[][]) => {
  const opens: (() => void)[] = [];
  const gates = groups.map(() => new Promise<void>((resolve) => opens.push(resolve)));
  let opened = 0;
  async function* source() {
    for (const [i, group] of groups.entries()) {
      for (const item of group) yield item;
      if (i < groups.length - 1) await gates[i];
    }
  }
  return { source: source(), next: () => opens[opened++]?.() };
};

const collect = async <T>(iterable: AsyncIterable<T>, onEach: (value: T) => void = () => undefined): Promise<T[]> => {
  const out: T[] = [];
  for await (const value of iterable) {
    out.push(value);
    onEach(value);
  }
  return out;
};

describe('batches', () => {
  it('cuts full batches while items flow and a partial one when the stream pauses', async () => {
    const { source, next } = bursts([
      [1, 2, 3, 4, 5],
      [6, 7],
    ]);
    // The second burst only comes once the first partial batch is out.
    const out = await collect(batches(source, { maxSize: 2, maxWaitMs: 5 }), (batch) => batch.length < 2 && next());
    expect(out).toEqual([[1, 2], [3, 4], [5], [6, 7]]);
  });

  it('ends with the rest when the stream ends', async () => {
    async function* three() {
      yield* [1, 2, 3];
    }
    expect(await collect(batches(three(), { maxSize: 2, maxWaitMs: 10_000 }))).toEqual([[1, 2], [3]]);
  });

  it('stops waiting when aborted, even if the stream never yields again', async () => {
    const stop = new AbortController();
    async function* stalled() {
      yield 1;
      await new Promise(() => undefined);
    }
    const out = collect(batches(stalled(), { maxSize: 10, maxWaitMs: 1, signal: stop.signal }), () => stop.abort());
    expect(await out).toEqual([[1]]);
  });
});

describe('batches over a long log', () => {
  it('holds only the batch in memory, however many items went by', async () => {
    // Events as the reader yields them: about 2 KB each, like a decoded RecordedEvent.
    async function* events(count: number) {
      for (let i = 0; i < count; i++) yield { streamSequence: i, data: new Array<number>(250).fill(i) };
    }
    const signal = new AbortController().signal;
    const heap: number[] = [];
    let seen = 0;
    for await (const batch of batches(events(300_000), { maxSize: 2000, maxWaitMs: 1000, signal })) {
      seen += batch.length;
      if (seen === 20_000 || seen === 300_000) heap.push(heapAfterGc());
    }
    expect(seen).toBe(300_000);
    // 280k items of 2 KB each would be 560 MB if they stayed reachable.
    expect(heap[1]! - heap[0]!).toBeLessThan(20 * 1024 * 1024);
  });

  it('leaves no abort listener behind, however often it is restarted on one signal', async () => {
    const signal = new AbortController().signal;
    async function* one() {
      yield 1;
    }
    for (let i = 0; i < 20; i++) for await (const batch of batches(one(), { maxSize: 10, maxWaitMs: 1, signal })) expect(batch).toEqual([1]);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

describe('readAhead', () => {
  it('asks for the next item before the caller is done with the current one', async () => {
    const asked: number[] = [];
    async function* counted() {
      for (let i = 1; i <= 3; i++) {
        asked.push(i);
        yield i;
      }
    }
    const seen: number[][] = [];
    for await (const value of readAhead(counted())) {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push([value, asked.length]);
    }
    expect(seen).toEqual([
      [1, 2],
      [2, 3],
      [3, 3],
    ]);
  });
});
