import { randomUUID } from 'node:crypto';
import { newEvent, newEventId, type EventEnvelope, type NewEvent } from '#contracts';

/** A valid event of the `request` aggregate `requestId` (its payload names the aggregate it is appended to). */
export const cancellationRequested = (requestId: string, { jobId = randomUUID(), eventId }: { jobId?: string; eventId?: string } = {}): NewEvent =>
  newEvent('JobCancellationRequested', { requestId, requestedBy: 'operator', jobId }, eventId);

/** A CompetitionActivated envelope as a raw publisher would write it (any subject, any aggregate id). */
export const activatedEnvelope = (aggregateId: string, competitionId: string): EventEnvelope => ({
  eventId: newEventId(),
  type: 'CompetitionActivated',
  schemaVersion: 1,
  aggregate: 'competition',
  aggregateId,
  aggregateVersion: 1,
  occurredAt: '2026-11-24T10:00:00.000Z',
  correlationId: newEventId(),
  causationId: null,
  producer: { app: 'test', version: '1.0.0' },
  data: { competitionId, activatedBy: 'admin' },
});
