export * from './commands.js';
export * from './decider.js';
export * from './state.js';
