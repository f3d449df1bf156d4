/** The configured sandbox cannot run on this machine (bwrap or podman missing); the evaluator must not start. */
export class SandboxUnavailableError extends Error {
  override readonly name = 'SandboxUnavailableError';
}

/** A spec the sandbox refuses before launching anything (a bad variable name, a relative directory). */
export class SandboxSpecError extends Error {
  override readonly name = 'SandboxSpecError';
}
