import { deriveEventId, type NewEvent, type RecordedEvent } from '#contracts';

/**
 * What the process manager wants appended: events of one submission or job aggregate (the scheduler is their only
 * writer). Every event id is derived from the cause, so deciding again after a redelivery appends nothing twice.
 * The app appends at the aggregate's position in the state at that moment (new aggregates: "must not exist").
 */
export interface Decision {
  aggregate: 'submission' | 'job';
  aggregateId: string;
  events: NewEvent[];
  causationId: string;
  correlationId: string;
}

/** Gives each event its id derived from `causationId`; `discriminate` separates several events of one type. */
export const decision = (
  aggregate: Decision['aggregate'],
  aggregateId: string,
  events: NewEvent[],
  cause: { causationId: string; correlationId: string },
  discriminate: (event: NewEvent) => string = () => '',
): Decision => ({
  aggregate,
  aggregateId,
  events: events.map((e) => ({ ...e, eventId: deriveEventId(cause.causationId, e.type, discriminate(e)) })),
  ...cause,
});

export const causedBy = (event: Pick<RecordedEvent, 'eventId' | 'correlationId'>) => ({ causationId: event.eventId, correlationId: event.correlationId });
