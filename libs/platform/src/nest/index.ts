// The platform's Nest-bound parts (loggers and the app lifecycle), apart from the main #platform entry so that the
// libs importing #platform (eventing, storage, ...) do not load Nest at runtime.
export * from '../logging.js';
export * from '../lifecycle.js';
