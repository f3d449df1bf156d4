export * from './errors.js';
export * from './port.js';
export * from './hf-hub-adapter.js';
export * from './config.js';
export * from './miner-upload.js';
export { formatBytes } from './format-bytes.js';
