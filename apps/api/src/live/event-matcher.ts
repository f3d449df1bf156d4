import type { RecordedEvent } from '#contracts';
import type { SubscribeRequest } from './subscribe-request.js';

/** Filter keys that name envelope fields; any other key names a top-level field of `data`. */
const envelopeFields = new Set([
  'eventId',
  'type',
  'schemaVersion',
  'aggregate',
  'aggregateId',
  'aggregateVersion',
  'correlationId',
  'causationId',
  'streamSequence',
]);

export const matches = (event: RecordedEvent, { types, filters }: Pick<SubscribeRequest, 'types' | 'filters'>): boolean =>
  types.includes(event.type) &&
  Object.entries(filters).every(([key, expected]) => {
    const source = (envelopeFields.has(key) ? event : event.data) as Record<string, unknown>;
    return source[key] === expected;
  });
