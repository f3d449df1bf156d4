import type { SandboxLimits } from './types.js';

/**
 * rlimits are set by util-linux `prlimit` as the first program inside the sandbox, which then execs the
 * agent (no extra process stays behind). Inside, not on the launcher: RLIMIT_NPROC is then counted per
 * user namespace (Linux >= 5.14), so concurrent sandboxes under the same host uid do not share one budget,
 * and bwrap's own set-up is not constrained. A `sh -c 'ulimit …'` prefix would do the same, but dash's
 * `ulimit` has no portable RLIMIT_NPROC/RLIMIT_AS flags and it would put the agent's argv through a shell.
 */
export const PRLIMIT = '/usr/bin/prlimit';

/** CPU: soft limit sends SIGXCPU, the hard limit one second later SIGKILL (a handler cannot save it). */
export const prlimitArgs = (limits: SandboxLimits): string[] => [
  `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
  `--as=${limits.addressSpaceBytes}`,
  `--nofile=${limits.openFiles}`,
  `--nproc=${limits.processes}`,
  `--fsize=${limits.fileSizeBytes}`,
  '--core=0',
  '--',
];
