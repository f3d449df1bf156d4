export interface BatchingOptions {
  maxSize: number;
  /** A non-empty batch is cut at the latest this long after its first item arrived. */
  maxWaitMs: number;
  signal?: AbortSignal;
}

const TIMEOUT = Symbol('timeout');
const ABORTED = Symbol('aborted');

/**
 * Groups a (possibly endless) stream into batches: full ones while items flow, partial ones when the stream
 * pauses, so a live tail is applied within `maxWaitMs`. Ends when the stream ends or the signal aborts.
 */
export async function* batches<T>(items: AsyncIterable<T>, { maxSize, maxWaitMs, signal }: BatchingOptions): AsyncGenerator<T[]> {
  const iterator = items[Symbol.asyncIterator]();
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    if (signal?.aborted) resolve(ABORTED);
    signal?.addEventListener('abort', () => resolve(ABORTED), { once: true });
  });
  let pending: Promise<IteratorResult<T>> | undefined;
  let batch: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  let deadline: Promise<typeof TIMEOUT> | undefined;
  try {
    for (;;) {
      pending ??= iterator.next();
      const next = await Promise.race([pending, aborted, ...(deadline ? [deadline] : [])]);
      if (next === ABORTED) return;
      if (next === TIMEOUT) {
        deadline = undefined;
        yield batch;
        batch = [];
        continue;
      }
      pending = undefined;
      if (next.done) {
        if (batch.length) yield batch;
        return;
      }
      batch.push(next.value);
      if (batch.length === 1) deadline = new Promise((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), maxWaitMs)));
      if (batch.length >= maxSize) {
        clearTimeout(timer);
        deadline = undefined;
        yield batch;
        batch = [];
      }
    }
  } finally {
    clearTimeout(timer);
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
