export * from './hub/index.js';
export * from './objects/index.js';
