export * from './errors.js';
export * from './port.js';
export { CONTENT_KEY_PREFIX, contentKey, sha256OfContentKey, checkKey, MAX_KEY_BYTES } from './keys.js';
export { FsObjectStore, type FsObjectStoreOptions } from './fs-store.js';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3-store.js';
export { objectStoreSchema, objectStoreConfigFromEnv, objectStoreConfigPart, createObjectStore, type ObjectStoreConfig } from './config.js';
