export * from './decide.js';
export * from './evolve.js';
export * from './plan.js';
export * from './state.js';
export * from './summary.js';
