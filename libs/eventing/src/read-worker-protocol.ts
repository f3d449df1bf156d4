import type { RecordedEvent } from '#contracts/decoding';
import type { NatsCredentials } from './nats-credentials.js';

/** What the read worker is started with (workerData): how to reach the stream. */
export interface WorkerSetup {
  natsUrl: string;
  credentials: NatsCredentials;
  stream: string;
}

/** One bounded read, on its own connection; a worker serves any number of them, one after another or at once. */
export interface ReadRequest {
  id: number;
  fromSequence: number;
  toSequence: number | undefined;
  until: Date | undefined;
  /** Events it may post before the parent grants more. */
  credit: number;
  /** Events per message. */
  chunk: number;
}

/** A decoded event, or a poison message's bytes (the parent decodes those again for the typed error). */
export type WireItem = { ok: true; event: RecordedEvent } | { ok: false; seq: number; time: Date; subject: string; data: Uint8Array };

/** Items in order; `done` on the last message of a read (its items may be none). */
export type WorkerMessage = { id: number } & ({ items: WireItem[]; done: boolean } | { error: string });
export type ParentMessage = { read: ReadRequest } | { id: number; credit: number } | { id: number; stop: true };
