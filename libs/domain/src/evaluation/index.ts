export * from './commands.js';
export * from './decider.js';
export * from './ids.js';
export * from './state.js';
