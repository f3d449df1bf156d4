import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Topology, ValidationIssue } from '#contracts';
import { EventStoreError } from './errors.js';
import { leaderGet } from './leader-get.js';
import { readOrdered } from './ordered-read.js';

export interface DeadLetterInput {
  /** The durable consumer that gave up on the message. */
  consumer: string;
  streamSequence: number;
  subject: string;
  reason: string;
  issues?: ValidationIssue[];
  raw: Uint8Array;
}

/** What the DLQ stream holds: the message's bytes (base64) and why it was terminated. */
export interface DeadLetterRecord {
  consumer: string;
  streamSequence: number;
  subject: string;
  reason: string;
  issues: ValidationIssue[];
  rawBase64: string;
  recordedAt: string;
  /** Sequence of the record itself in the DLQ stream. */
  sequence: number;
}

export class DeadLetters {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
  ) {}

  /** Idempotent within the duplicate window: the message id is `<consumer>:<streamSequence>`. */
  async record(input: DeadLetterInput): Promise<void> {
    const body = {
      consumer: input.consumer,
      streamSequence: input.streamSequence,
      subject: input.subject,
      reason: input.reason,
      issues: input.issues ?? [],
      rawBase64: Buffer.from(input.raw).toString('base64'),
    };
    try {
      await this.js.publish(this.topology.deadLetterSubject(input.consumer), JSON.stringify(body), {
        msgID: `${input.consumer}:${input.streamSequence}`,
      });
    } catch (cause) {
      throw new EventStoreError(`cannot dead-letter ${input.subject} #${input.streamSequence}: ${(cause as Error).message}`, { cause });
    }
  }

  /**
   * The record at `sequence` of the dead-letter stream; `'removed'` when the stream had it and it is gone (re-driven),
   * undefined when it never had it.
   */
  async at(sequence: number): Promise<DeadLetterRecord | 'removed' | undefined> {
    const stream = this.topology.deadLetterStream;
    try {
      const msg = await leaderGet(this.jsm, stream, { seq: sequence });
      if (msg) return { ...msg.json<Omit<DeadLetterRecord, 'recordedAt' | 'sequence'>>(), recordedAt: msg.time.toISOString(), sequence: msg.seq };
      return sequence <= (await this.jsm.streams.info(stream)).state.last_seq ? 'removed' : undefined;
    } catch (cause) {
      throw new EventStoreError(`cannot read dead letter #${sequence} of ${stream}: ${(cause as Error).message}`, { cause });
    }
  }

  /** Removes a record once its message was re-driven; removing one already gone is not an error. */
  async remove(sequence: number): Promise<void> {
    try {
      await this.jsm.streams.deleteMessage(this.topology.deadLetterStream, sequence, false);
    } catch (cause) {
      if ((await this.at(sequence)) === 'removed') return;
      throw new EventStoreError(`cannot remove dead letter #${sequence} of ${this.topology.deadLetterStream}: ${(cause as Error).message}`, { cause });
    }
  }

  /** Every record, oldest first; optionally only one consumer's. */
  async list(options: { consumer?: string; fromSequence?: number; limit?: number } = {}): Promise<DeadLetterRecord[]> {
    const records: DeadLetterRecord[] = [];
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return records;
    for await (const msg of readOrdered(this.js, this.jsm, {
      stream: this.topology.deadLetterStream,
      filterSubject: options.consumer ? this.topology.deadLetterSubject(options.consumer) : `${this.topology.namespace}.dlq.>`,
      fromSequence: options.fromSequence ?? 1,
    })) {
      records.push({ ...msg.json<Omit<DeadLetterRecord, 'recordedAt' | 'sequence'>>(), recordedAt: msg.time.toISOString(), sequence: msg.seq });
      if (records.length >= limit) break;
    }
    return records;
  }
}
