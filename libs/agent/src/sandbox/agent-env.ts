import { isAbsolute } from 'node:path';
import { SandboxSpecError } from './errors.js';
import { SANDBOX_ENV, type SandboxSpec } from './types.js';

/** Where the agent sees its directories; the same in every mode that mounts them. */
export const INSIDE = { agentDir: '/agent', socketDir: '/run/agent' } as const;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks the spec's directories and variables, then builds the agent's whole environment: a fixed base, the directory variables, then the spec's own variables.
 * Nothing of the evaluator's environment (credentials, NATS_URL) is inherited.
 */
export const agentEnvironment = (spec: SandboxSpec, dirs: { agentDir: string; socketDir: string }): Record<string, string> => {
  for (const dir of [spec.agentDir, spec.socketDir, ...(spec.runtimeDirs ?? [])]) {
    if (!isAbsolute(dir)) throw new SandboxSpecError(`${JSON.stringify(dir)} is not an absolute path`);
  }
  if ([spec.command, ...(spec.args ?? [])].some((word) => word.includes('\u0000'))) {
    throw new SandboxSpecError('the command line holds U+0000');
  }
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    if (!NAME.test(name)) throw new SandboxSpecError(`env: ${JSON.stringify(name)} is not a variable name`);
    if (value.includes('\u0000')) throw new SandboxSpecError(`env: ${name} holds U+0000`);
  }
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/tmp',
    TMPDIR: '/tmp',
    LANG: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    [SANDBOX_ENV.agentDir]: dirs.agentDir,
    [SANDBOX_ENV.socketDir]: dirs.socketDir,
    ...spec.env,
  };
};
