import { agentEnvironment } from './agent-env.js';
import { detectCgroups, type CgroupSupport } from './cgroups.js';
import { describeCgroups, launchInCgroups } from './launch.js';
import { resolveLimits } from './limits.js';
import { JOIN_FAILURE_EXIT_CODE } from './supervisor.js';
import { PRLIMIT, prlimitArgs } from './rlimits.js';
import type { AgentPaths, Sandbox, SandboxDescription, SandboxedProcess, SandboxLimits, SandboxSpec } from './types.js';

export interface SandboxLogger {
  warn(message: string): void;
}

export const UNSANDBOXED_WARNING =
  "UNSANDBOXED: agents run as the evaluator's own user with its network (NATS, Postgres, the internet) and its filesystem; for local development only, never for miners' code";

/**
 * Local development only, and only when configured by name: the agent runs as a plain child process in its
 * agent dir with a clean environment, rlimits and (where writable) cgroups, but no isolation at all.
 */
export class ProcessSandbox implements Sandbox {
  private constructor(
    private readonly defaultLimits: SandboxLimits,
    private readonly cgroups: CgroupSupport,
  ) {}

  static async create(defaultLimits: SandboxLimits, logger: SandboxLogger): Promise<ProcessSandbox> {
    logger.warn(UNSANDBOXED_WARNING);
    return new ProcessSandbox(defaultLimits, await detectCgroups());
  }

  describe(): SandboxDescription {
    const cgroups = describeCgroups(this.cgroups);
    const rootWarning = process.getuid?.() === 0 ? ['running as root: RLIMIT_NPROC does not apply to root'] : [];
    return {
      mode: 'process',
      isolated: false,
      enforces: ['rlimits (prlimit): cpu, address space, open files, processes, file size, no core files', 'wall clock and output limits', ...cgroups.enforces],
      warnings: [UNSANDBOXED_WARNING, ...rootWarning, ...cgroups.warnings],
      defaultLimits: this.defaultLimits,
    };
  }

  pathsInside({ agentDir, socketDir }: Pick<SandboxSpec, 'agentDir' | 'socketDir'>): AgentPaths {
    return { agentDir, socketDir };
  }

  async start(spec: SandboxSpec): Promise<SandboxedProcess> {
    const limits = resolveLimits(this.defaultLimits, spec.limits);
    return launchInCgroups(this.cgroups, {
      argv: [PRLIMIT, ...prlimitArgs(limits), spec.command, ...(spec.args ?? [])],
      env: agentEnvironment(spec, this.pathsInside(spec)),
      cwd: spec.agentDir,
      limits,
      statusFd: false,
      launcherFailureExitCode: JOIN_FAILURE_EXIT_CODE,
      signalAsExitCode: false,
      sampleProc: true,
    });
  }
}
