import {
  deriveId,
  schemaVersionOf,
  validatePayload,
  type AggregateType,
  type EventType,
  type NewEvent,
  type RecordedEvent,
  type RecordedEventOf,
} from '#contracts';
import type { Decision } from '../decision.js';
import { evolveScheduler } from '../evolve.js';
import { initialSchedulerState, type SchedulerState } from '../state.js';

/**
 * An in-memory event log for process-manager specs: it records events as the store would (payload validated,
 * sequence, per-aggregate version, recordedAt from a clock the test moves) and folds each into a SchedulerState.
 */
export class SchedulerLog {
  readonly state: SchedulerState;
  readonly events: RecordedEvent[] = [];
  private readonly versions = new Map<string, number>();
  private now: number;

  constructor(netuid: number, start = '2026-03-01T12:00:00.000Z') {
    this.state = initialSchedulerState(netuid);
    this.now = Date.parse(start);
  }

  get time(): string {
    return new Date(this.now).toISOString();
  }

  advance(seconds: number): this {
    this.now += seconds * 1000;
    return this;
  }

  /** Records and folds one event of `aggregate`/`aggregateId`. */
  record<T extends EventType>(
    aggregate: AggregateType,
    aggregateId: string,
    event: NewEvent & { type: T },
    meta: { causationId?: string } = {},
  ): RecordedEventOf<T> {
    const key = `${aggregate}/${aggregateId}`;
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    const streamSequence = this.events.length + 1;
    const recorded = {
      eventId: event.eventId ?? deriveId('log', String(streamSequence)),
      type: event.type,
      schemaVersion: schemaVersionOf(event.type),
      aggregate,
      aggregateId,
      aggregateVersion: version,
      occurredAt: this.time,
      correlationId: deriveId('correlation', String(streamSequence)),
      causationId: meta.causationId ?? null,
      producer: { app: 'spec', version: '0' },
      data: validatePayload(event.type, event.data),
      streamSequence,
      recordedAt: this.time,
    } as unknown as RecordedEventOf<T>;
    this.events.push(recorded as RecordedEvent);
    evolveScheduler(this.state, recorded as RecordedEvent);
    return recorded;
  }

  /** Appends what the process manager decided, as the app would. */
  apply(decisions: Decision[]): RecordedEvent[] {
    return decisions.flatMap((d) => d.events.map((e) => this.record(d.aggregate, d.aggregateId, e, { causationId: d.causationId }) as RecordedEvent));
  }

  /** Folds an event that was already recorded once, as a redelivery would. */
  redeliver(event: RecordedEvent): void {
    evolveScheduler(this.state, event);
  }
}
