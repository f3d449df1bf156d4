export * from './ports.js';
export * from './errors.js';
export * from './features.js';
export * from './clock.js';
export * from './connection.js';
export * from './topology.js';
export * from './event-store.js';
export * from './command-handler.js';
export * from './event-reader.js';
export { OffloadedEventReader, type OffloadOptions } from './offloaded-reader.js';
export { batches, readAhead, readInBatches, type BatchingOptions } from './batches.js';
export * from './last-event.js';
export * from './dead-letters.js';
export * from './consumer-runner.js';
export { readOrdered, type OrderedReadOptions } from './ordered-read.js';
export * from './consumer-health.js';
export * from './memory/index.js';
export * from './buckets.js';
export * from './lease.js';
export * from './role-lease.js';
export * from './snapshots.js';
export * from './consumer-observability.js';
export { decodeStored, type StoredBytes } from './recorded.js';
export {
  AccessConfigError,
  requireConsumerName,
  requireHotkey,
  requireUserNkey,
  validatorInboxPrefix,
  validatorPermissions,
  type SubjectPermissions,
  type UserPermissions,
  type ValidatorAccessSpec,
  type ValidatorUser,
} from './access/validator-permissions.js';
export * from './access/nats-authorization.js';
