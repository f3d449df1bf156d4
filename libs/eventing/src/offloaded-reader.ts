import { Worker } from 'node:worker_threads';
import { loadNatsAccess, type NatsAccess } from '#platform';
import { natsCredentials } from './connection.js';
import { EventStoreError } from './errors.js';
import type { BatchReadOptions, EventReader, ReadItem, ReadOptions } from './ports.js';
import type { ParentMessage, WireItem, WorkerMessage, WorkerSetup } from './read-worker-protocol.js';
import { toReadItem } from './recorded.js';
import { readInBatches } from './batches.js';

export interface OffloadOptions {
  natsUrl: string;
  /** The events stream (Topology.eventsStream). */
  stream: string;
  /** Default: from the environment, as `connect` reads it. */
  access?: NatsAccess;
  /** Batched reads shorter than this stay in this thread: starting the worker costs about as much as decoding them. */
  minEvents?: number;
  /** Threads reading and decoding at once, each its own segments of the range (default 2). */
  workers?: number;
  /** Events per segment (default: a batch shared among the workers, at least MIN_SEGMENT). */
  segmentEvents?: number;
}

/** Events per message from a worker: small enough that taking one fits in the caller's waits on Postgres. */
const CHUNK = 1000;
const MIN_EVENTS = 10_000;
const WORKERS = 2;
/** A segment's read starts a consumer of its own: a few milliseconds, small beside decoding this many events. */
const MIN_SEGMENT = 5000;
/**
 * A worker's young generation: what it decodes dies young (posted, then dropped), and a larger nursery collects
 * it less often. Measured on 100k events read in the worker: about 12% less CPU than V8's default (16 MB).
 */
const YOUNG_GENERATION_MB = 64;
/** A worker no read used for this long is ended (a replay's catch-up passes and tail follow each other closely). */
const IDLE_MS = 10_000;

/**
 * Running from the TypeScript sources (the tests, through swc), the worker is loaded through the same transform;
 * compiled, it is the .js beside this one.
 */
const workerEntry = (): { url: URL; execArgv?: string[] } => {
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(`./read-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSources) return { url };
  return { url, execArgv: ['--import', new URL('../../testing/src/ts-worker/register.mjs', import.meta.url).href] };
};

type Listener = (message: WorkerMessage | Error) => void;

/** One segment's read on one worker: what it posted and the parent has not taken yet. */
interface SegmentRead {
  readonly id: number;
  readonly slot: number;
  readonly worker: Worker;
  readonly chunks: WireItem[][];
  /** Events taken since the last grant. */
  taken: number;
  done: boolean;
}

interface Segment {
  fromSequence: number;
  /** Undefined for the last one: it reads on past the end as it was, so events appended meanwhile come too. */
  toSequence: number | undefined;
}

/**
 * The range cut into segments read by turns. A read to an instant (`until`) is one segment: it ends at the first
 * event recorded after the instant, which only a read in order can tell.
 */
function* segmentsOf(fromSequence: number, end: number, toSequence: number | undefined, size: number): Generator<Segment> {
  for (let from = fromSequence; ; from += size) {
    if (from + size > end) {
      yield { fromSequence: from, toSequence };
      return;
    }
    yield { fromSequence: from, toSequence: from + size - 1 };
  }
}

/**
 * An EventReader whose `readBatches` reads and decodes in worker threads (read-worker.ts), each with its own NATS
 * connection and the catalogue's definitions, so that the caller's thread only folds and writes. The range is cut
 * into segments the workers read at once, taken in order: decoding, the costliest part of a read, runs beside the
 * caller's work and on as many cores as there are workers. Single reads, and batched reads shorter than
 * `minEvents`, go to `reader`. Do not wrap a reader that decodes with other definitions than the catalogue's.
 */
export class OffloadedEventReader implements EventReader {
  private readonly minEvents: number;
  private readonly workerCount: number;
  private readonly workers: (Worker | undefined)[];
  private readonly listeners = new Map<number, Listener>();
  private lastId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reader: EventReader,
    private readonly offload: OffloadOptions,
  ) {
    this.minEvents = offload.minEvents ?? MIN_EVENTS;
    this.workerCount = Math.max(1, offload.workers ?? WORKERS);
    this.workers = Array.from({ length: this.workerCount }, () => undefined);
  }

  read(options: ReadOptions): AsyncIterable<ReadItem> {
    return this.reader.read(options);
  }

  lastSequence(): Promise<number> {
    return this.reader.lastSequence();
  }

  async *readBatches(options: BatchReadOptions): AsyncGenerator<ReadItem[]> {
    const end = options.toSequence ?? (await this.reader.lastSequence());
    if (end - options.fromSequence + 1 < this.minEvents) yield* readInBatches(this.reader, options);
    else yield* this.inWorkers(options, end);
  }

  /** Ends the workers (reads under way fail); the next batched read starts others. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    await Promise.all(this.workers.flatMap((worker) => (worker ? [worker.terminate()] : [])));
  }

  private async *inWorkers({ maxSize, fromSequence, toSequence, until }: BatchReadOptions, end: number): AsyncGenerator<ReadItem[]> {
    const { stream } = this.offload;
    const size = until ? Infinity : (this.offload.segmentEvents ?? Math.max(MIN_SEGMENT, Math.ceil(maxSize / this.workerCount)));
    const segments = segmentsOf(fromSequence, end, toSequence, size);
    const reads: SegmentRead[] = [];
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    let exhausted = false;
    clearTimeout(this.idleTimer);
    const start = (slot: number): void => {
      if (failure) return;
      const next = segments.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      const worker = this.started(slot);
      const segment: SegmentRead = { id: ++this.lastId, slot, worker, chunks: [], taken: 0, done: false };
      this.listeners.set(segment.id, (message) => {
        if (message instanceof Error) failure ??= message;
        else if ('items' in message) {
          segment.chunks.push(message.items);
          segment.done = message.done;
        } else failure ??= new EventStoreError(`cannot read ${stream}: ${message.error}`);
        wake?.();
      });
      worker.ref();
      // A batch's worth of credit each: a worker stalled on its credit means a full batch is ready to be taken.
      const read: ParentMessage = { read: { id: segment.id, ...next.value, until, credit: maxSize, chunk: Math.min(CHUNK, maxSize) } };
      worker.postMessage(read);
      reads.push(segment);
    };
    for (let slot = 0; slot < this.workerCount; slot++) start(slot);
    let batch: ReadItem[] = [];
    try {
      for (;;) {
        // The oldest segment's events; once it is taken whole, its worker reads the next segment at once.
        while (reads.length && batch.length < maxSize) {
          const oldest = reads[0]!;
          const chunk = oldest.chunks.shift();
          if (!chunk) break;
          for (const wire of chunk) batch.push(wire.ok ? wire : toReadItem(wire));
          oldest.taken += chunk.length;
          if (oldest.done && oldest.chunks.length === 0) {
            reads.shift();
            this.listeners.delete(oldest.id);
            start(oldest.slot);
          }
        }
        // No segment left to read (no more reads when one failed: the failure is thrown below).
        const last = reads.length === 0 && exhausted;
        if (batch.length >= maxSize || (last && batch.length)) {
          // A chunk can overfill the batch: the rest starts the next one.
          const full = batch.length > maxSize ? batch.splice(0, maxSize) : batch;
          if (full === batch) batch = [];
          for (const read of reads) {
            if (read.taken) read.worker.postMessage({ id: read.id, credit: read.taken } satisfies ParentMessage);
            read.taken = 0;
          }
          yield full;
          continue;
        }
        if (last) return;
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      for (const read of reads) {
        if (!read.done) read.worker.postMessage({ id: read.id, stop: true } satisfies ParentMessage);
        this.listeners.delete(read.id);
      }
      if (this.listeners.size === 0) {
        // Between reads they hold nothing the process should wait for.
        for (const worker of this.workers) worker?.unref();
        this.idleTimer = setTimeout(() => void this.close(), IDLE_MS).unref();
      }
    }
  }

  private started(slot: number): Worker {
    const running = this.workers[slot];
    if (running) return running;
    const { natsUrl, stream, access } = this.offload;
    const setup: WorkerSetup = { natsUrl, stream, credentials: natsCredentials(access ?? loadNatsAccess()) };
    const { url, execArgv } = workerEntry();
    const worker = new Worker(url, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }, ...(execArgv && { execArgv }) });
    const fail = (error: Error) => {
      if (this.workers[slot] === worker) this.workers[slot] = undefined;
      for (const listener of this.listeners.values()) listener(error);
    };
    worker.on('message', (message: WorkerMessage) => this.listeners.get(message.id)?.(message));
    worker.on('error', (error) => fail(new EventStoreError(`the reader of ${stream} failed`, { cause: error })));
    worker.on('exit', () => fail(new EventStoreError(`the reader of ${stream} stopped`)));
    this.workers[slot] = worker;
    return worker;
  }
}
