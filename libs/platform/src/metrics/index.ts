export * from './registry.js';
export * from './sampled-gauge.js';
export * from './eventing-metrics.js';
export * from './projector-metrics.js';
export * from './evaluation-metrics.js';
export * from './http-metrics.js';
