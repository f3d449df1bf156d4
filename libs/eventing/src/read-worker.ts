/**
 * A thread behind OffloadedEventReader.readBatches: reads ranges of the events stream through its own connection
 * (one for all its reads) and decodes each message (JSON, zod, subject agreement) with the catalogue, posting the
 * events to the parent in chunks. Per read it posts at most `credit` events the parent has not taken yet: the
 * parent grants more as it takes batches, so memory stays bounded whatever the range's length.
 *
 * Only lean modules here (no #platform, no #contracts barrel and its sr25519 crypto): they load in a fraction of
 * the time, and the thread starts before the first batch can be read.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsConnectOptions } from './nats-credentials.js';
import { readOrdered } from './ordered-read.js';
import { decodeStored } from './recorded.js';
import type { ParentMessage, ReadRequest, WireItem, WorkerMessage, WorkerSetup } from './read-worker-protocol.js';

const port = parentPort!;
const { natsUrl, credentials, stream } = workerData as WorkerSetup;
const post = (message: WorkerMessage) => port.postMessage(message);

const toWire = (msg: { seq: number; time: Date; subject: string; data: Uint8Array }): WireItem => {
  try {
    return { ok: true, event: decodeStored(msg) };
  } catch {
    // The parent decodes a poison message again, for its typed error (errors lose their class in a message).
    return { ok: false, seq: msg.seq, time: msg.time, subject: msg.subject, data: msg.data.slice() };
  }
};

/** A read's flow control: the credit the parent granted, and whether it stopped the read. */
class Grants {
  stopped = false;
  private wake: (() => void) | undefined;

  constructor(private credit: number) {}

  grant(credit: number): void {
    this.credit += credit;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /**
   * Resolves once `n` more events may be posted, or the read is stopped. A chunk may overdraw the credit: the
   * parent may be waiting for it to fill a batch.
   */
  async take(n: number): Promise<void> {
    while (!this.stopped && this.credit <= 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.credit -= n;
  }
}

const reads = new Map<number, Grants>();

type Clients = { js: JetStreamClient; jsm: JetStreamManager; nc: NatsConnection };
let clients: Promise<Clients> | undefined;

const open = async (): Promise<Clients> => {
  const nc = await connect(natsConnectOptions(natsUrl, 'event-reader-worker', credentials));
  return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
};

/** The thread's connection, opened by its first read and again after it closed (it ends with the thread). */
const connected = async (): Promise<Clients> => {
  const current = await (clients ??= open().catch((error: unknown) => {
    clients = undefined;
    throw error;
  }));
  if (!current.nc.isClosed()) return current;
  clients = undefined;
  return connected();
};

const read = async ({ id, fromSequence, toSequence, until, chunk: chunkSize }: ReadRequest, grants: Grants): Promise<void> => {
  const { js, jsm } = await connected();
  let chunk: WireItem[] = [];
  const send = async (done: boolean) => {
    await grants.take(chunk.length);
    if (!grants.stopped) post({ id, items: chunk, done });
    chunk = [];
  };
  const range = { stream, fromSequence, ...(toSequence !== undefined && { toSequence }), ...(until && { until }) };
  for await (const item of readOrdered(js, jsm, range, toWire)) {
    // A full chunk waits for the next item: the last one goes out marked done, so the parent knows it has it all
    // as it takes it (and can start the next segment at once).
    if (chunk.length >= chunkSize) await send(false);
    if (grants.stopped) return;
    chunk.push(item);
  }
  await send(true);
};

port.on('message', (message: ParentMessage) => {
  if ('read' in message) {
    const grants = new Grants(message.read.credit);
    reads.set(message.read.id, grants);
    read(message.read, grants)
      .catch((error: unknown) => post({ id: message.read.id, error: (error as Error).message ?? String(error) }))
      .finally(() => reads.delete(message.read.id));
  } else if ('stop' in message) reads.get(message.id)?.stop();
  else reads.get(message.id)?.grant(message.credit);
});
