/** The read-model DataSource (the projector's tables; the API only reads them). */
export const READ_MODELS = Symbol('READ_MODELS');
/** The ObjectStore frames and trajectories are read from (the API only reads it). */
export const OBJECT_STORE = Symbol('OBJECT_STORE');
/** Reads evaluators' live heartbeats (HeartbeatReader). */
export const HEARTBEATS = Symbol('HEARTBEATS');
