/** Injection tokens for the API's connections to the outside world. */
export const JETSTREAM = Symbol('JETSTREAM');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const EVENT_READER = Symbol('EVENT_READER');
export const READ_MODELS = Symbol('READ_MODELS');
