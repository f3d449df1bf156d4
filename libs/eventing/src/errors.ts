import type { AggregatePosition } from './ports.js';

/** The aggregate moved since it was loaded (JetStream error 10071): reload, decide again, retry. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly aggregate: string,
    readonly aggregateId: string,
    readonly expected: AggregatePosition,
    options?: ErrorOptions,
  ) {
    super(`${aggregate} ${aggregateId} moved past version ${expected.version} (sequence ${expected.lastSequence})`, options);
  }
}

/**
 * An aggregate id that is not one literal subject token (`aggregateIdSchema`: 1-128 of [A-Za-z0-9_:-]). It goes into
 * a subject, where `*`, `>` or `.` would select other aggregates: the store refuses it before reading or writing.
 */
/** A validator-side event the store's signer holds no key for: the app is configured with another validator's hotkey. */
export class UnsignableEventError extends Error {
  override readonly name = 'UnsignableEventError';
  constructor(
    readonly type: string,
    readonly validator: string,
  ) {
    super(`cannot sign ${type} of validator ${validator}: the store's signer holds no key of it`);
  }
}

export class InvalidAggregateIdError extends Error {
  override readonly name = 'InvalidAggregateIdError';
  constructor(
    readonly aggregate: string,
    readonly aggregateId: string,
    reason: string,
  ) {
    super(`invalid ${aggregate} id ${JSON.stringify(aggregateId)}: ${reason}`);
  }
}

/** The event store failed for an infrastructure reason; `cause` holds the NATS error. */
export class EventStoreError extends Error {
  override readonly name: string = 'EventStoreError';
}

/**
 * An aggregate whose subject holds a message that is not a valid event of it (published past the store, or of a
 * version this code cannot read). Deciding on the rest would break the aggregate's rules, so commands on it are
 * refused, saying where the message is; readers of the whole log skip it as poison.
 */
export class UnreadableHistoryError extends EventStoreError {
  override readonly name = 'UnreadableHistoryError';
  constructor(
    readonly aggregate: string,
    readonly aggregateId: string,
    readonly streamSequence: number,
    readonly reason: string,
  ) {
    super(`${aggregate} ${aggregateId} cannot be loaded: its message #${streamSequence} is not a valid event (${reason})`);
  }
}

/** A stream that exists with a configuration the server refuses to change into ours. */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
}

/** The connected NATS server lacks a feature this call needs (see ServerFeatures). */
export class UnsupportedFeatureError extends Error {
  override readonly name = 'UnsupportedFeatureError';
}

/**
 * Thrown by a handler to say "not now, try again later" (a dependency is down, a row is not there yet).
 * The runner naks it with backoff; any other error is treated the same way but logged as unexpected.
 */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
}
