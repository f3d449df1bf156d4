/**
 * The read side of the contracts alone (`#contracts/decoding`): what decoding the log needs, without what the
 * barrel also loads (signing's sr25519 crypto), so a worker thread that decodes starts in a fraction of the time.
 */
export { eventDefinition } from './catalogue.js';
export { decodeRecorded, type EventDefinitionLookup, type StoredAt } from './codec.js';
export type { RecordedEvent } from './envelope.js';
export { EVENT_TYPE_HEADER } from './subjects.js';
