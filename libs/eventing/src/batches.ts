import type { BatchReadOptions, EventReader, ReadItem } from './ports.js';

export interface BatchingOptions {
  maxSize: number;
  /** A non-empty batch is cut at the latest this long after its first item arrived. */
  maxWaitMs: number;
  signal?: AbortSignal;
}

const TIMEOUT = Symbol('timeout');
const ABORTED = Symbol('aborted');
type Wake = typeof TIMEOUT | typeof ABORTED;

/**
 * Groups a (possibly endless) stream into batches: full ones while items flow, partial ones when the stream
 * pauses, so a live tail is applied within `maxWaitMs`. Ends when the stream ends or the signal aborts.
 *
 * Each wait is a fresh promise settled by the next item, the batch's timer or the signal, through `wake`.
 * Racing every item against one long-lived promise (the abort, the batch deadline) would leave a reaction on
 * it per item, keeping every item read reachable until the signal fires: memory growing with the log.
 */
export async function* batches<T>(items: AsyncIterable<T>, { maxSize, maxWaitMs, signal }: BatchingOptions): AsyncGenerator<T[]> {
  const iterator = items[Symbol.asyncIterator]();
  let wake: ((reason: Wake) => void) | undefined;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => wake?.(ABORTED);
  signal?.addEventListener('abort', onAbort);
  const cut = (): T[] => {
    clearTimeout(timer);
    timedOut = false;
    const full = batch;
    batch = [];
    return full;
  };
  let pending: Promise<IteratorResult<T>> | undefined;
  let batch: T[] = [];
  try {
    for (;;) {
      const current = (pending ??= iterator.next());
      const next = await new Promise<IteratorResult<T> | Wake>((resolve, reject) => {
        wake = resolve;
        if (signal?.aborted) resolve(ABORTED);
        else if (timedOut) resolve(TIMEOUT);
        else current.then(resolve, reject);
      });
      wake = undefined;
      if (next === ABORTED) return;
      if (next === TIMEOUT) {
        yield cut();
        continue;
      }
      pending = undefined;
      if (next.done) {
        if (batch.length) yield cut();
        return;
      }
      batch.push(next.value);
      if (batch.length === 1) {
        timer = setTimeout(() => {
          timedOut = true;
          wake?.(TIMEOUT);
        }, maxWaitMs);
      }
      if (batch.length >= maxSize) yield cut();
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // Not awaited: a follow-mode reader only settles its pending read when a message arrives or its connection closes.
    void iterator.return?.();
  }
}

/** Starts producing the next item while the caller still works on the current one (reading overlaps writing). */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const result = await next;
      if (result.done) return;
      next = iterator.next();
      yield result.value;
    }
  } finally {
    void iterator.return?.();
  }
}

/** A batch of a bounded read is cut after this long without a new event (the read is at the stream's end). */
const BOUNDED_READ_WAIT_MS = 1000;

/**
 * `reader`'s batched read of a bounded range: its own `readBatches` where it has one, else its `read` grouped into
 * batches and read one batch ahead.
 */
export const readInBatches = (reader: EventReader, { maxSize, ...range }: BatchReadOptions): AsyncIterable<ReadItem[]> =>
  reader.readBatches?.({ maxSize, ...range }) ?? readAhead(batches(reader.read(range), { maxSize, maxWaitMs: BOUNDED_READ_WAIT_MS }));
