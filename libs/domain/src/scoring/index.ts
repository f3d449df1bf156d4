export * from './state.js';
export * from './evolve.js';
export * from './consensus.js';
export * from './scores.js';
export * from './weights.js';
export * from './payloads.js';
export * from './audit.js';
