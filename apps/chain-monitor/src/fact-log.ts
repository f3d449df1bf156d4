import type { JetStreamManager } from '@nats-io/jetstream';
import type { RecordedEvent, Topology } from '#contracts';
import { ConcurrencyError, EventStoreError, readLastEvent, type EventStore } from '#eventing';
import { isNews, type ChainFact } from './chain-facts.js';

const blockOf = (event: RecordedEvent): number => {
  if (event.type === 'CommitmentObserved' || event.type === 'MetagraphSynced') return event.data.block;
  throw new EventStoreError(`${event.aggregate} ${event.aggregateId} ends with ${event.type}, which the chain monitor never appends`);
};

/**
 * The chain monitor's side of the event log: the last event on a subject and appends that happen only when the fact is news to its aggregate.
 */
export class FactLog {
  constructor(
    private readonly store: EventStore,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
  ) {}

  /** The last event on a subject (wildcards allowed), or undefined when there is none. */
  last(subject: string): Promise<RecordedEvent | undefined> {
    return readLastEvent(this.jsm, this.topology.eventsStream, subject);
  }

  /**
   * Appends the fact unless its aggregate already has one at that block or later; returns whether it did.
   * The append expects the aggregate to be where the check saw it, so a concurrent writer (a second
   * replica) makes it check again instead of appending twice.
   */
  async record(fact: ChainFact): Promise<boolean> {
    for (;;) {
      const last = await this.last(this.topology.eventSubject(fact.aggregate, fact.aggregateId));
      if (!isNews(fact, last && blockOf(last))) return false;
      const expected = last ? { version: last.aggregateVersion, lastSequence: last.streamSequence } : { version: 0, lastSequence: 0 };
      try {
        await this.store.append(fact.aggregate, fact.aggregateId, [fact.event], { expected });
        return true;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
  }
}
