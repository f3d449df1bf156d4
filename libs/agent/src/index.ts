export * from './errors.js';
export * from './protocol.js';
export * from './tensor/codec.js';
export * from './tensor/spec.js';
export * from './client/client.js';
export * from './sdk/serve.js';
export * from './episode.js';
