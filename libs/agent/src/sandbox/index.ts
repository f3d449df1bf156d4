export * from './types.js';
export * from './errors.js';
export { DEFAULT_LIMITS, resolveLimits } from './limits.js';
export { sandboxConfigSchema, createSandbox, type SandboxConfig } from './config.js';
export { BwrapSandbox, type BwrapSandboxOptions } from './bwrap-sandbox.js';
export { PodmanSandbox, type PodmanSandboxOptions } from './podman-sandbox.js';
export { ProcessSandbox, UNSANDBOXED_WARNING, type SandboxLogger } from './process-sandbox.js';
export { INSIDE as SANDBOX_PATHS } from './agent-env.js';
