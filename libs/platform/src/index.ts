export * from './config.js';
export * from './logging.js';
export * from './app-config.js';
export * from './lifecycle.js';
export * from './version.js';
export * from './startup-error.js';
export * from './await-ready.js';
export * from './health-server.js';
