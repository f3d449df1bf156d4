export * from './eventually.js';
export * from './isolation.js';
export * from './services.js';
export * from './subtensor/index.js';
export * from './hub/index.js';
export * from '../../contracts/src/testing/test-keys.js';
export * from './servers/index.js';
