export * from './local-hub.js';
export { HubStore, type StoredCommit, type StoredFile } from './store.js';
export { gitBlobOid, sha256Hex } from './git-objects.js';
