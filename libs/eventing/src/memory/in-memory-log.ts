import { systemClock, type Clock } from '../clock.js';
import { DUPLICATE_WINDOW_MS } from '../topology.js';
import type { StoredBytes } from '../recorded.js';

/** One message of the in-memory stream: what JetStream stores (sequence, subject, time, headers, bytes). */
export interface InMemoryMessage extends StoredBytes {
  headers: Map<string, string>;
}

export interface PublishOptions {
  /** As `Nats-Msg-Id`: a second publish with the same id within the duplicate window is dropped. */
  msgId?: string;
  /** As `expect.lastSubjectSequence`: refused unless the subject's last message has this sequence (0 = none). */
  lastSubjectSequence?: number;
  headers?: Record<string, string>;
}

export interface PublishAck {
  seq: number;
  duplicate: boolean;
}

/** The subject's last message was not the one the publish expected (JetStream error 10071). */
export class WrongLastSequenceError extends Error {
  override readonly name = 'WrongLastSequenceError';
  constructor(
    readonly subject: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`wrong last sequence on ${subject}: expected ${expected}, is ${actual}`);
  }
}

/**
 * The events stream in memory, for fast tests: sequences from 1 without gaps, the time of each message from an
 * injected clock (the server's clock), the duplicate window and `expect.lastSubjectSequence` checked in the order the
 * server checks them (a duplicate is acknowledged before the expectation is looked at). Shared by an
 * InMemoryEventStore and any number of InMemoryEventReaders, as one stream is by the JetStream adapters.
 */
export class InMemoryEventLog {
  private readonly messages: InMemoryMessage[] = [];
  private readonly bySubject = new Map<string, number[]>();
  private readonly seen = new Map<string, { seq: number; at: number }>();
  private waiters: (() => void)[] = [];

  constructor(
    /** Stands in for the server's clock: it stamps each message's time (`recordedAt`). */
    private readonly clock: Clock = systemClock,
    private readonly duplicateWindowMs = DUPLICATE_WINDOW_MS,
  ) {}

  publish(subject: string, data: Uint8Array, options: PublishOptions = {}): PublishAck {
    const time = this.clock.now();
    if (options.msgId !== undefined) {
      const earlier = this.seen.get(options.msgId);
      if (earlier && time.getTime() - earlier.at < this.duplicateWindowMs) return { seq: earlier.seq, duplicate: true };
    }
    const onSubject = this.bySubject.get(subject) ?? [];
    const last = onSubject.at(-1) ?? 0;
    if (options.lastSubjectSequence !== undefined && options.lastSubjectSequence !== last)
      throw new WrongLastSequenceError(subject, options.lastSubjectSequence, last);
    const seq = this.messages.length + 1;
    // A copy: the caller may reuse its buffer, the stream keeps what was sent.
    this.messages.push({ seq, subject, time, data: new Uint8Array(data), headers: new Map(Object.entries(options.headers ?? {})) });
    onSubject.push(seq);
    this.bySubject.set(subject, onSubject);
    if (options.msgId !== undefined) this.seen.set(options.msgId, { seq, at: time.getTime() });
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    return { seq, duplicate: false };
  }

  get lastSequence(): number {
    return this.messages.length;
  }

  /** The message at `seq`, or undefined past the end. */
  at(seq: number): InMemoryMessage | undefined {
    return this.messages[seq - 1];
  }

  /** The last message on `subject` (a literal subject: the in-memory store never needs wildcards). */
  lastOn(subject: string): InMemoryMessage | undefined {
    const seq = this.bySubject.get(subject)?.at(-1);
    return seq === undefined ? undefined : this.at(seq);
  }

  /** Every message on `subject`, in order. */
  on(subject: string): InMemoryMessage[] {
    return (this.bySubject.get(subject) ?? []).map((seq) => this.at(seq)!);
  }

  /** Resolves at the next publish: what a following reader waits on at the end of the stream. */
  nextPublish(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
