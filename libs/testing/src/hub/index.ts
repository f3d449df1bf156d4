export * from './local-hub.js';
export type { HubStore, StoredCommit, StoredFile } from './store.js';
