import type { RejectedEventEntity } from '#read-models';
import type { RejectedEventDto } from './rejected-event.dto.js';

/** The rejection as served; every field named. */
export const toRejectedEventDto = (r: RejectedEventEntity): RejectedEventDto => ({
  streamSequence: r.streamSequence,
  eventId: r.eventId,
  type: r.type,
  aggregate: r.aggregate,
  aggregateId: r.aggregateId,
  reason: r.reason,
  recordedAt: r.recordedAt,
});
