/**
 * The sandbox port: start an untrusted agent as a real process with no network, a read-only view of its
 * files and hard resource limits, and report how it ended. Independent of what the process speaks (gRPC
 * over the Unix socket in `socketDir` is the evaluator's business).
 */

export type SandboxMode = 'bwrap' | 'podman' | 'process';

export interface SandboxLimits {
  /** Deadline for the whole process tree, from start to exit. */
  wallSeconds: number;
  /** RLIMIT_CPU of every process (SIGXCPU at the limit, SIGKILL one second later); with cgroup CPU
   * accounting also the budget of the whole tree. */
  cpuSeconds: number;
  /** Resident memory of the whole tree (cgroup memory limit, swap included); also the bound on peak memory
   * reported as out of memory when only rlimits are in force. */
  memoryBytes: number;
  /** RLIMIT_AS of every process. Larger than `memoryBytes` because runtimes reserve address space they never
   * touch (Node needs ~1 GiB, every Python/gRPC thread reserves a 64 MiB malloc arena). */
  addressSpaceBytes: number;
  /** Processes and threads of the sandbox (cgroup pids.max and RLIMIT_NPROC). */
  processes: number;
  /** RLIMIT_NOFILE. */
  openFiles: number;
  /** RLIMIT_FSIZE: the largest file the agent may write (in /tmp or the socket dir). */
  fileSizeBytes: number;
  /** Size of the private /tmp (tmpfs). */
  tmpBytes: number;
  /** stdout + stderr bytes the agent may write before it is stopped with `output-limit`. */
  outputBytes: number;
  /** Bytes of the end of stdout and of stderr kept for the miner. */
  tailBytes: number;
}

export interface SandboxSpec {
  /** Program to run, as seen inside the sandbox (e.g. `/usr/bin/python3`). */
  command: string;
  args?: readonly string[];
  /** The agent's files, mounted read-only (inside: `/agent`, also the working directory). */
  agentDir: string;
  /** Extra host directories the runtime needs (a venv, a pyenv), mounted read-only at the same path. */
  runtimeDirs?: readonly string[];
  /** Host directory shared read-write with the agent (inside: `/run/agent`), for the gRPC Unix socket. */
  socketDir: string;
  /** Environment of the agent; nothing of the evaluator's environment leaks in. */
  env?: Readonly<Record<string, string>>;
  /** Overrides of the sandbox's default limits for this process. */
  limits?: Partial<SandboxLimits>;
}

/** Environment variables every sandboxed process gets, naming its directories as it sees them. */
export const SANDBOX_ENV = { agentDir: 'KINITRO_AGENT_DIR', socketDir: 'KINITRO_SOCKET_DIR' } as const;

/** How a measurement was taken: exact kernel accounting from a cgroup, or sampling `/proc` (a lower bound). */
export type MeasurementSource = 'cgroup-v1' | 'cgroup-v2' | 'proc-sampling' | 'none';

export interface Measurements {
  wallSeconds: number;
  /** User + system CPU of the whole tree; null where it cannot be measured (podman). */
  cpuSeconds: number | null;
  /** Peak resident memory of the tree; null where it cannot be measured (podman). */
  peakMemoryBytes: number | null;
  source: { cpu: MeasurementSource; memory: MeasurementSource };
}

export interface CapturedOutput {
  /** The last `tailBytes` of each stream, UTF-8 decoded, U+0000 replaced (the tail is stored as text). */
  stdoutTail: string;
  stderrTail: string;
  /** Everything the agent wrote, counted even though only the tail is kept. */
  stdoutBytes: number;
  stderrBytes: number;
}

interface OutcomeReport {
  measurements: Measurements;
  output: CapturedOutput;
}

/**
 * How a sandboxed process ended, in the spirit of IOI's isolate. Every kind but `sandbox-failure` is
 * something the agent did (or that the evaluator asked for: `killed`); `sandbox-failure` is ours.
 */
export type ProcessOutcome =
  | ({ kind: 'exited'; exitCode: number } & OutcomeReport)
  | ({ kind: 'signaled'; signal: string } & OutcomeReport)
  | ({ kind: 'wall-time-limit'; limitSeconds: number } & OutcomeReport)
  | ({ kind: 'cpu-time-limit'; limitSeconds: number; signal: string | null } & OutcomeReport)
  | ({
      kind: 'out-of-memory';
      /** The kernel killed the tree at the cgroup limit, an allocation failed at RLIMIT_AS, or (without a
       * memory cgroup) the supervisor saw the tree's sampled memory over `memoryBytes` and killed it. */
      cause: 'cgroup-oom-kill' | 'allocation-failure' | 'sampled-over-limit';
      limitBytes: number;
    } & OutcomeReport)
  | ({ kind: 'output-limit'; limitBytes: number } & OutcomeReport)
  | ({ kind: 'killed'; reason: string } & OutcomeReport)
  | ({ kind: 'sandbox-failure'; message: string } & OutcomeReport);

export type OutcomeKind = ProcessOutcome['kind'];

export interface SandboxedProcess {
  /** Host pid of the launcher (bwrap, podman or the command itself). */
  readonly pid: number;
  /** Settles once the whole tree is gone; never rejects (a failure of ours is a `sandbox-failure`). */
  readonly exited: Promise<ProcessOutcome>;
  /** Kill the whole tree now; the outcome is `killed` with this reason unless it had already ended. */
  kill(reason?: string): void;
}

/** What is in force, said once at start-up so operators and auditors can read it in the log. */
export interface SandboxDescription {
  mode: SandboxMode;
  /** False only for the unsandboxed development mode. */
  isolated: boolean;
  /** One line per guarantee, e.g. "network: none (all namespaces unshared)". */
  enforces: string[];
  /** What is not enforced and why (not writable cgroups, unsandboxed mode). */
  warnings: string[];
  defaultLimits: SandboxLimits;
}

/** Directories as the agent sees them, e.g. to tell it where to create its socket. */
export interface AgentPaths {
  agentDir: string;
  socketDir: string;
}

export interface Sandbox {
  describe(): SandboxDescription;
  /** Where the agent started with `spec` sees its directories (mounted paths, or the host's unsandboxed). */
  pathsInside(spec: Pick<SandboxSpec, 'agentDir' | 'socketDir'>): AgentPaths;
  /** Resolves once the process is launched; a launch that fails is a `sandbox-failure` outcome. */
  start(spec: SandboxSpec): Promise<SandboxedProcess>;
}
