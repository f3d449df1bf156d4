import { SandboxSpecError } from './errors.js';
import type { SandboxLimits } from './types.js';

const MiB = 1024 * 1024;

/** Defaults for one agent process; the evaluator overrides them per competition. */
export const DEFAULT_LIMITS: SandboxLimits = {
  wallSeconds: 3600,
  cpuSeconds: 3600,
  memoryBytes: 2048 * MiB,
  addressSpaceBytes: 8192 * MiB,
  processes: 256,
  openFiles: 1024,
  fileSizeBytes: 64 * MiB,
  tmpBytes: 256 * MiB,
  outputBytes: 16 * MiB,
  tailBytes: 16 * 1024,
};

/** The defaults with a spec's overrides; every limit must be a positive safe integer (tail: zero allowed). */
export const resolveLimits = (defaults: SandboxLimits, overrides: Partial<SandboxLimits> = {}): SandboxLimits => {
  const limits = { ...defaults, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    const least = name === 'tailBytes' ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < least) throw new SandboxSpecError(`limits.${name} must be an integer >= ${least}, got ${value}`);
  }
  return limits;
};
