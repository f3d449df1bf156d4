import type { RecordedEvent } from '#contracts';
import type { CommandAcceptedDto } from './admin-competitions.dto.js';

/** What a 202 answers: the events a command appended, by id and stream position. */
export const commandAccepted = (events: RecordedEvent[]): CommandAcceptedDto => ({
  events: events.map(({ eventId, type, aggregateId, aggregateVersion, streamSequence }) => ({ eventId, type, aggregateId, aggregateVersion, streamSequence })),
});
