export * from './free-port.js';
export * from './postgres-cluster.js';
export * from './app-process.js';
