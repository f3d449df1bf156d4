export * from './in-memory-log.js';
export * from './in-memory-event-store.js';
export * from './in-memory-event-reader.js';
export * from './in-memory-snapshot-store.js';
