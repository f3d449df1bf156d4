export * from './free-port.js';
export * from './postgres-cluster.js';
