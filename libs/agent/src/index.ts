export * from './errors.js';
export * from './protocol.js';
export * from './tensor/codec.js';
export * from './tensor/spec.js';
export * from './client/client.js';
export { AgentEpisode } from './client/agent-episode.js';
export * from './sdk/serve.js';
export * from './episode.js';
export * from './sandbox/index.js';
/** The generated wire types and grpc-js service definition, for tests that need a raw (misbehaving) agent. */
export * as wire from './generated/kinitro/agent/v1/agent.js';
export * from './runtime/verdict.js';
export * from './runtime/agent-runtime.js';
export * from './runtime/agent-session.js';
export * from './runtime/evaluation.js';
export * from './runtime/resource-grant.js';
export * from './recording/index.js';
