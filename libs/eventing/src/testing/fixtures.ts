import { randomUUID } from 'node:crypto';
import { newEvent, type NewEvent } from '#contracts';

/** A valid event of the `request` aggregate `requestId` (its payload names the aggregate it is appended to). */
export const cancellationRequested = (requestId: string, { jobId = randomUUID(), eventId }: { jobId?: string; eventId?: string } = {}): NewEvent =>
  newEvent('JobCancellationRequested', { requestId, requestedBy: 'operator', jobId }, eventId);
