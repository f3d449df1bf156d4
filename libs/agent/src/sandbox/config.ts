import { z } from 'zod';
import { BwrapSandbox } from './bwrap-sandbox.js';
import { DEFAULT_LIMITS } from './limits.js';
import { PodmanSandbox } from './podman-sandbox.js';
import { ProcessSandbox, type SandboxLogger } from './process-sandbox.js';
import type { Sandbox, SandboxLimits } from './types.js';

const id = z.coerce
  .number()
  .int()
  .min(1)
  .max(2 ** 32 - 2);

/**
 * The sandbox's environment variables, for the evaluator to merge into its validated configuration.
 * bwrap is the default; the unsandboxed `process` mode exists only when named.
 */
export const sandboxConfigSchema = z
  .object({
    AGENT_SANDBOX: z.enum(['bwrap', 'podman', 'process']).default('bwrap'),
    AGENT_SANDBOX_BWRAP: z.string().startsWith('/', 'must be an absolute path').default('/usr/bin/bwrap'),
    AGENT_SANDBOX_PODMAN: z.string().min(1).default('podman'),
    /** Image with the agent runtime, required for podman. */
    AGENT_SANDBOX_IMAGE: z.string().min(1).optional(),
    AGENT_SANDBOX_OCI_RUNTIME: z.string().min(1).default('crun'),
    AGENT_SANDBOX_UID: id.default(65534),
    AGENT_SANDBOX_GID: id.default(65534),
  })
  .refine((config) => config.AGENT_SANDBOX !== 'podman' || config.AGENT_SANDBOX_IMAGE !== undefined, {
    path: ['AGENT_SANDBOX_IMAGE'],
    message: 'is required when AGENT_SANDBOX=podman',
  });
export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

/** Builds the configured sandbox after checking it can run here; throws `SandboxUnavailableError` if not. */
export const createSandbox = async (
  config: SandboxConfig,
  { logger, defaultLimits = DEFAULT_LIMITS }: { logger: SandboxLogger; defaultLimits?: SandboxLimits },
): Promise<Sandbox> => {
  const ids = { uid: config.AGENT_SANDBOX_UID, gid: config.AGENT_SANDBOX_GID };
  switch (config.AGENT_SANDBOX) {
    case 'bwrap':
      return BwrapSandbox.create({ bwrapPath: config.AGENT_SANDBOX_BWRAP, ...ids, defaultLimits });
    case 'podman':
      return PodmanSandbox.create({
        podmanPath: config.AGENT_SANDBOX_PODMAN,
        image: config.AGENT_SANDBOX_IMAGE!,
        runtime: config.AGENT_SANDBOX_OCI_RUNTIME,
        ...ids,
        defaultLimits,
      });
    case 'process':
      return ProcessSandbox.create(defaultLimits, logger);
  }
};
