export * from './isolation.js';
export * from './services.js';
