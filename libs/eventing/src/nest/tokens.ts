/** Injection tokens of EventingModule. Each one names what it provides; inject with `@Inject(EVENT_STORE)`. */
export const EVENTING_OPTIONS = Symbol('EVENTING_OPTIONS');
/** The JetStreamConnection (nc, js, jsm, features). */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const JETSTREAM_CLIENT = Symbol('JETSTREAM_CLIENT');
export const JETSTREAM_MANAGER = Symbol('JETSTREAM_MANAGER');
export const SERVER_FEATURES = Symbol('SERVER_FEATURES');
export const TOPOLOGY = Symbol('TOPOLOGY');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const EVENT_READER = Symbol('EVENT_READER');
export const DEAD_LETTERS = Symbol('DEAD_LETTERS');
export const CLOCK = Symbol('CLOCK');
/** The ConsumerHealth of the app's consumer loops (readiness reads it). */
export const CONSUMER_HEALTH = Symbol('CONSUMER_HEALTH');
