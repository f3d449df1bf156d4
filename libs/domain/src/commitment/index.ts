export * from './codec.js';
export * from './observation.js';
