/**
 * The TypeScript agent SDK as a `node` agent sees it inside the sandbox: the runtime mounts the built library
 * read-only and names this module in $KINITRO_AGENT_SDK (`await import(process.env.KINITRO_AGENT_SDK)`).
 */
export * from './serve.js';
export * from '../tensor/codec.js';
export * from '../tensor/spec.js';
export { PROTOCOL_VERSION } from '../protocol.js';
export { TensorError } from '../errors.js';
