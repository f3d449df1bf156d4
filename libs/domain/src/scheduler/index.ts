export * from './deadlines.js';
export * from './decision.js';
export * from './evolve.js';
export * from './ids.js';
export * from './jobs.js';
export * from './state.js';
export * from './submissions.js';
export * from './snapshot.js';
