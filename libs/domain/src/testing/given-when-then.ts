import { deriveId, schemaVersionOf, validatePayload, type EventType, type NewEvent, type RecordedEvent } from '#contracts';
import type { Decider } from '../decider.js';
import { DomainError } from '../errors.js';

/**
 * Given/when/then for deciders, free of any test framework:
 *   given(decider, [past events]).when(command) → the new events, each validated against its contract
 *   given(decider, [past events]).refuses(command) → the DomainError it threw
 * Past events are stored as the store would (payload validated, defaults applied), so evolve sees real data.
 */
export const given = <C, S, E extends EventType>(decider: Decider<C, S, E>, history: NewEvent[] = []) => {
  const recorded = history.map(
    (event, i) =>
      ({
        eventId: deriveId('given', String(i)),
        type: event.type,
        schemaVersion: schemaVersionOf(event.type),
        aggregate: decider.aggregate,
        aggregateId: 'given',
        aggregateVersion: i + 1,
        occurredAt: '2026-01-01T00:00:00.000Z',
        correlationId: deriveId('given', 'correlation'),
        causationId: null,
        producer: { app: 'test', version: '0' },
        data: validatePayload(event.type, event.data),
        streamSequence: i + 1,
        recordedAt: '2026-01-01T00:00:00.000Z',
      }) as RecordedEvent,
  );
  const evolve = decider.evolve as (state: S, event: RecordedEvent) => S;
  const state = (): S => recorded.reduce(evolve, decider.initialState());
  return {
    state,
    when(command: C): NewEvent[] {
      const events = decider.decide(command, state());
      for (const event of events) validatePayload(event.type, event.data);
      return events;
    },
    refuses(command: C): DomainError {
      try {
        decider.decide(command, state());
      } catch (error) {
        if (error instanceof DomainError) return error;
        throw error;
      }
      throw new Error('expected the command to be refused with a DomainError, but it was accepted');
    },
  };
};
