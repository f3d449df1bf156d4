import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import type { KV, KvEntry } from '@nats-io/kv';
import { systemClock, type Clock } from './clock.js';
import { EventStoreError } from './errors.js';

/** What the lease key holds. NATS 2.9 has no per-key TTL, so the expiry travels in the value (and 2.11+ expires it too). */
interface LeaseRecord {
  holder: string;
  /** Epoch milliseconds, by the holder's clock: after it, anyone may take the lease over. */
  expiresAt: number;
}

export interface LeaseOptions {
  /** The bucket the key lives in (history 1 is enough: compare-and-set works on the revision). */
  kv: KV;
  /** One key per role that must run once (`scheduler`, `chain-monitor.<netuid>`, ...). */
  key: string;
  /** Unique per process: two processes with one holder id would both think they hold it. */
  holder: string;
  /** How long a claim lasts without renewal: the longest a dead holder keeps the role from a standby. */
  ttlMs: number;
  /** How often the holder renews, and a standby tries; a third of the TTL by default, so one lost renewal is survived. */
  renewEveryMs?: number;
  clock?: Clock;
  /**
   * Only for a bucket opened with per-message TTLs (NATS 2.11+, `openBucket(..., { perMessageTtl: true })`): every
   * claim is written with a TTL of `ttlMs`, so the server removes a dead holder's claim by its own clock, and a
   * standby takes over once the key is gone instead of when the stored expiry has passed by the standby's clock:
   * the holders' clocks need not agree. On 2.9 the TTL would be ignored and a dead holder's key kept for ever.
   */
  serverTtl?: { js: JetStreamClient; bucket: string };
}

/** Lease state changes a holder reacts to. */
export interface LeaseEvents {
  /** The lease was taken by this process. */
  acquired?(): void;
  /** The lease was lost while held (a renewal failed to compare-and-set, or could not reach NATS before expiry): stop acting now. */
  lost?(reason: string): void;
  /** A standby could not read or write the key (NATS unreachable): it keeps trying. */
  unavailable?(error: Error): void;
}

/** The lease could not be read or written for an infrastructure reason (not "someone else holds it"). */
export class LeaseError extends EventStoreError {
  override readonly name = 'LeaseError';
}

const decode = (entry: KvEntry): LeaseRecord | undefined => {
  if (entry.operation !== 'PUT') return undefined;
  try {
    const record = entry.json<LeaseRecord>();
    return typeof record.holder === 'string' && typeof record.expiresAt === 'number' ? record : undefined;
  } catch {
    // Unreadable: treated as expired, so a corrupt value cannot keep the role unfilled for ever.
    return undefined;
  }
};

/** A revision compare-and-set that lost: the key moved under us (JetStream 10071, wrong last sequence). */
const isConflict = (error: unknown): boolean =>
  (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence) ||
  /wrong last sequence/i.test((error as Error).message ?? '');

/**
 * A single-holder lease on one KV key, for process managers that must act once (one scheduler, one chain monitor
 * per subnet): `kv.create` takes a free key, `kv.update(key, value, revision)` renews or takes over an expired one,
 * so of two processes racing for it exactly one wins. The holder renews every `renewEveryMs`; a standby polls as
 * often and takes over once the stored expiry has passed by its own clock (clocks must agree to well within the TTL),
 * or, with `serverTtl` (2.11+), once the server has removed the expired claim (no agreement needed).
 * A holder that cannot renew before its own expiry reports the lease lost, so two processes never both believe they hold it.
 */
export class Lease {
  private readonly clock: Clock;
  private readonly renewEveryMs: number;
  private revision = 0;
  private expiresAt = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: LeaseOptions,
    private readonly events: LeaseEvents = {},
  ) {
    if (!(options.ttlMs > 0)) throw new RangeError(`lease ${options.key}: ttlMs must be positive, got ${options.ttlMs}`);
    this.clock = options.clock ?? systemClock;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(options.ttlMs / 3));
    if (this.renewEveryMs >= options.ttlMs)
      throw new RangeError(`lease ${options.key}: renewEveryMs (${this.renewEveryMs}) must be below ttlMs (${options.ttlMs})`);
  }

  /** Whether this process holds the lease now (by its own clock: a claim past its expiry is not held). */
  get held(): boolean {
    return this.revision > 0 && this.clock.now().getTime() < this.expiresAt;
  }

  /**
   * Takes the lease if it is free, expired or already ours; false if another holder's claim is current.
   * Throws LeaseError when NATS cannot be read or written.
   */
  async tryAcquire(): Promise<boolean> {
    const { kv, key, holder } = this.options;
    let entry: KvEntry | null;
    try {
      entry = await kv.get(key);
    } catch (cause) {
      throw new LeaseError(`cannot read lease ${key}: ${(cause as Error).message}`, { cause });
    }
    const current = entry ? decode(entry) : undefined;
    const now = this.clock.now().getTime();
    if (current && current.holder !== holder && (this.options.serverTtl || current.expiresAt > now)) return false;
    return this.write(entry && entry.operation === 'PUT' ? entry.revision : undefined);
  }

  /**
   * Resolves once this process holds the lease (trying every `renewEveryMs`), then keeps renewing it until `release`.
   * Rejects if `signal` aborts first. A standby waits here: it must not act before this resolves.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    const attempt = () =>
      this.tryAcquire().catch((error: unknown) => {
        this.events.unavailable?.(error as Error);
        return false;
      });
    while (!(await attempt())) {
      if (signal?.aborted || this.stopped) throw new LeaseError(`stopped waiting for lease ${this.options.key}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.renewEveryMs);
        signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (signal?.aborted || this.stopped) throw new LeaseError(`stopped waiting for lease ${this.options.key}`);
    }
    this.events.acquired?.();
    this.schedule();
  }

  /** Stops renewing and frees the key (if still ours), so a standby takes over at once instead of after the TTL. */
  async release(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.busy;
    if (this.revision === 0) return;
    const revision = this.revision;
    this.revision = 0;
    await this.options.kv.delete(this.options.key, { previousSeq: revision }).catch(() => undefined);
  }

  private schedule(delayMs = this.renewEveryMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.busy = this.renew();
    }, delayMs);
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    try {
      if (await this.write(this.revision)) return this.schedule();
      this.lose('another holder took it over');
    } catch (error) {
      // NATS unreachable: keep trying while our claim lasts, the last try at its expiry, past which a standby may hold it.
      if (this.held) return this.schedule(Math.max(0, Math.min(this.renewEveryMs, this.expiresAt - this.clock.now().getTime())));
      this.lose(`could not renew before it expired: ${(error as Error).message}`);
    }
  }

  private lose(reason: string): void {
    this.revision = 0;
    this.stopped = true;
    this.events.lost?.(reason);
  }

  /** create (no revision) or compare-and-set at `revision`, with the server's TTL if the bucket has them; the new revision. */
  private async put(revision: number | undefined, value: string): Promise<number> {
    const { kv, key, serverTtl, ttlMs } = this.options;
    if (!serverTtl) return revision === undefined ? kv.create(key, value) : kv.update(key, value, revision);
    // Whole seconds, at least one (the server refuses finer TTLs): never before the holder's own expiry.
    const ttl = `${Math.max(1, Math.ceil(ttlMs / 1000))}s`;
    if (revision === undefined) return kv.create(key, value, ttl);
    // @nats-io/kv's update takes no TTL: the same compare-and-set, published on the key's subject.
    return (await serverTtl.js.publish(`$KV.${serverTtl.bucket}.${key}`, value, { expect: { lastSubjectSequence: revision }, ttl })).seq;
  }

  /** create (no revision) or compare-and-set at `revision`; false when someone else wrote first. */
  private async write(revision: number | undefined): Promise<boolean> {
    const { key, holder, ttlMs } = this.options;
    const expiresAt = this.clock.now().getTime() + ttlMs;
    const value = JSON.stringify({ holder, expiresAt } satisfies LeaseRecord);
    try {
      this.revision = await this.put(revision, value);
      this.expiresAt = expiresAt;
      return true;
    } catch (cause) {
      if (isConflict(cause)) {
        this.revision = 0;
        return false;
      }
      throw new LeaseError(`cannot write lease ${key}: ${(cause as Error).message}`, { cause });
    }
  }
}
