// The Nest wiring of eventing, apart from the main `#eventing` entry so code that only needs the ports and adapters
// (CLI, libs, benches) does not load @nestjs/* at runtime.
export * from './tokens.js';
export * from './eventing.module.js';
export * from './jetstream.context.js';
export * from './jetstream.server.js';
export * from './on-event.decorator.js';
export * from './rethrow-errors.filter.js';
