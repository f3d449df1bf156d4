import type { RecordedEvent, Topology } from '#contracts';
import type { DeadLetters } from '#eventing';

/** Where the scheduler puts an event it cannot fold, for an operator to see; throwing leaves the event to be retried. */
export interface UnfoldedEvents {
  record(event: RecordedEvent, reason: string): Promise<void>;
}

/**
 * Into the dead letters of the scheduler's consumer, with the reason and the event as recorded. The record is keyed
 * by consumer and stream sequence, so a redelivery within the duplicate window is stored once.
 */
export const unfoldedIntoDeadLetters = (deadLetters: DeadLetters, topology: Topology, consumer: string): UnfoldedEvents => ({
  record: (event, reason) =>
    deadLetters.record({
      consumer,
      streamSequence: event.streamSequence,
      subject: topology.eventSubject(event.aggregate, event.aggregateId),
      reason: `cannot fold: ${reason}`,
      raw: Buffer.from(JSON.stringify(event)),
    }),
});
