import { constants } from 'node:os';
import type { CapturedOutput, Measurements, ProcessOutcome, SandboxLimits } from './types.js';

/** Why the supervisor itself stopped the process; the first reason wins. */
export type StopReason = { by: 'wall-time' } | { by: 'cpu-time' } | { by: 'memory' } | { by: 'output' } | { by: 'caller'; reason: string };

export interface Ending {
  /** Set when our own launcher failed before the agent ran (bwrap set-up, cgroup join, spawn error). */
  launchFailure: string | null;
  exitCode: number | null;
  signal: string | null;
  stopped: StopReason | null;
  /** Kills by the cgroup OOM killer. */
  oomKills: number;
}

/**
 * What runtimes print when an allocation fails at RLIMIT_AS: CPython, glibc/strerror, C++, V8 (heap or
 * reservation), numpy. An agent could print one on purpose; it only turns its crash into another fault of
 * its own.
 */
const ALLOCATION_FAILURE = /\bMemoryError\b|Cannot allocate memory|std::bad_alloc|out of memory|Failed to reserve virtual memory|Unable to allocate/i;

/** Turns how the process ended into the typed outcome; pure, so every rule is pinned by a unit test. */
export const classify = (ending: Ending, limits: SandboxLimits, measurements: Measurements, output: CapturedOutput): ProcessOutcome => {
  const report = { measurements, output };
  if (ending.launchFailure !== null) return { kind: 'sandbox-failure', message: ending.launchFailure, ...report };
  switch (ending.stopped?.by) {
    case 'wall-time':
      return { kind: 'wall-time-limit', limitSeconds: limits.wallSeconds, ...report };
    case 'cpu-time':
      return { kind: 'cpu-time-limit', limitSeconds: limits.cpuSeconds, signal: 'SIGKILL', ...report };
    case 'output':
      return { kind: 'output-limit', limitBytes: limits.outputBytes, ...report };
    case 'memory':
      return { kind: 'out-of-memory', cause: 'sampled-over-limit', limitBytes: limits.memoryBytes, ...report };
  }
  if (ending.oomKills > 0) return { kind: 'out-of-memory', cause: 'cgroup-oom-kill', limitBytes: limits.memoryBytes, ...report };
  const cpuExhausted = measurements.cpuSeconds !== null && measurements.cpuSeconds >= limits.cpuSeconds;
  if (ending.signal === 'SIGXCPU' || (ending.signal === 'SIGKILL' && cpuExhausted && ending.stopped === null)) {
    return { kind: 'cpu-time-limit', limitSeconds: limits.cpuSeconds, signal: ending.signal, ...report };
  }
  if (ending.stopped?.by === 'caller') return { kind: 'killed', reason: ending.stopped.reason, ...report };
  const failed = ending.signal !== null || ending.exitCode !== 0;
  if (failed && ALLOCATION_FAILURE.test(output.stderrTail)) {
    return { kind: 'out-of-memory', cause: 'allocation-failure', limitBytes: limits.addressSpaceBytes, ...report };
  }
  if (ending.signal !== null) return { kind: 'signaled', signal: ending.signal, ...report };
  return { kind: 'exited', exitCode: ending.exitCode ?? 0, ...report };
};

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/** bwrap reports a child killed by signal N as exit code 128 + N; this reads it back as the signal. */
export const decodeShellStatus = (exitCode: number): { exitCode: number | null; signal: string | null } => {
  const signal = exitCode > 128 ? SIGNAL_NAMES.get(exitCode - 128) : undefined;
  return signal === undefined ? { exitCode, signal: null } : { exitCode: null, signal };
};
