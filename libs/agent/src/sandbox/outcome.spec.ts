import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LIMITS } from './limits.js';
import { classify, decodeShellStatus, type Ending } from './outcome.js';
import type { CapturedOutput, Measurements } from './types.js';

const limits = { ...DEFAULT_LIMITS, cpuSeconds: 2, wallSeconds: 5, memoryBytes: 100, addressSpaceBytes: 1000, outputBytes: 50 };
const measured = (cpuSeconds: number | null = 0.1): Measurements => ({
  wallSeconds: 1,
  cpuSeconds,
  peakMemoryBytes: 10,
  source: { cpu: 'cgroup-v2', memory: 'cgroup-v1' },
});
const output = (stderrTail = ''): CapturedOutput => ({ stdoutTail: '', stderrTail, stdoutBytes: 0, stderrBytes: stderrTail.length });
const ending = (overrides: Partial<Ending>): Ending => ({ launchFailure: null, exitCode: 0, signal: null, stopped: null, oomKills: 0, ...overrides });
const kindOf = (overrides: Partial<Ending>, cpu?: number | null, stderr?: string) => {
  const outcome = classify(ending(overrides), limits, measured(cpu), output(stderr));
  const { measurements: _, output: __, ...rest } = outcome;
  return rest;
};

describe('classify', () => {
  it('reports a clean exit and a failing exit code', () => {
    expect(kindOf({})).toEqual({ kind: 'exited', exitCode: 0 });
    expect(kindOf({ exitCode: 3 })).toEqual({ kind: 'exited', exitCode: 3 });
  });

  it('keeps measurements and output on every outcome', () => {
    const outcome = classify(ending({ signal: 'SIGSEGV', exitCode: null }), limits, measured(0.5), output('boom'));
    expect(outcome).toEqual({ kind: 'signaled', signal: 'SIGSEGV', measurements: measured(0.5), output: output('boom') });
  });

  it('puts our own launch failure before anything the agent did', () => {
    expect(kindOf({ launchFailure: 'bwrap: no', oomKills: 1, stopped: { by: 'wall-time' } })).toEqual({ kind: 'sandbox-failure', message: 'bwrap: no' });
  });

  it('reports the supervisor stopping it by its reason, first reason wins over the kill signal', () => {
    expect(kindOf({ stopped: { by: 'wall-time' }, signal: 'SIGKILL', exitCode: null })).toEqual({ kind: 'wall-time-limit', limitSeconds: 5 });
    expect(kindOf({ stopped: { by: 'output' }, signal: 'SIGKILL', exitCode: null })).toEqual({ kind: 'output-limit', limitBytes: 50 });
    expect(kindOf({ stopped: { by: 'cpu-time' }, signal: 'SIGKILL', exitCode: null })).toEqual({ kind: 'cpu-time-limit', limitSeconds: 2, signal: 'SIGKILL' });
    expect(kindOf({ stopped: { by: 'memory' }, signal: 'SIGKILL', exitCode: null })).toEqual({
      kind: 'out-of-memory',
      cause: 'sampled-over-limit',
      limitBytes: 100,
    });
    expect(kindOf({ stopped: { by: 'wall-time' }, oomKills: 1, signal: 'SIGKILL', exitCode: null })).toMatchObject({ kind: 'wall-time-limit' });
  });

  it('reports a cgroup OOM kill as out of memory even when the launcher saw only SIGKILL or an exit code', () => {
    expect(kindOf({ oomKills: 1, signal: 'SIGKILL', exitCode: null })).toEqual({ kind: 'out-of-memory', cause: 'cgroup-oom-kill', limitBytes: 100 });
    expect(kindOf({ oomKills: 2, exitCode: 1 })).toEqual({ kind: 'out-of-memory', cause: 'cgroup-oom-kill', limitBytes: 100 });
  });

  it('reports SIGXCPU, and SIGKILL after the CPU budget was spent, as the CPU limit', () => {
    expect(kindOf({ signal: 'SIGXCPU', exitCode: null })).toEqual({ kind: 'cpu-time-limit', limitSeconds: 2, signal: 'SIGXCPU' });
    expect(kindOf({ signal: 'SIGKILL', exitCode: null }, 3.1)).toEqual({ kind: 'cpu-time-limit', limitSeconds: 2, signal: 'SIGKILL' });
    expect(kindOf({ signal: 'SIGKILL', exitCode: null }, 0.3)).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
    expect(kindOf({ signal: 'SIGKILL', exitCode: null }, null)).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
  });

  it('reports a kill the evaluator asked for as killed, with its reason', () => {
    expect(kindOf({ stopped: { by: 'caller', reason: 'Act deadline' }, signal: 'SIGKILL', exitCode: null }, 9)).toEqual({
      kind: 'killed',
      reason: 'Act deadline',
    });
  });

  it('reads allocation failures from the stderr tail of a failed process only', () => {
    for (const message of [
      'MemoryError',
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      "terminate called after throwing an instance of 'std::bad_alloc'",
      'numpy.core._exceptions._ArrayMemoryError: Unable to allocate 8.00 GiB',
      'OSError: [Errno 12] Cannot allocate memory',
    ]) {
      expect(kindOf({ exitCode: 1 }, 0.1, message)).toEqual({ kind: 'out-of-memory', cause: 'allocation-failure', limitBytes: 1000 });
    }
    expect(kindOf({ signal: 'SIGABRT', exitCode: null }, 0.1, 'Fatal process out of memory')).toMatchObject({ kind: 'out-of-memory' });
    expect(kindOf({ exitCode: 0 }, 0.1, 'caught MemoryError, recovered')).toEqual({ kind: 'exited', exitCode: 0 });
    expect(kindOf({ exitCode: 1 }, 0.1, 'ValueError: bad observation')).toEqual({ kind: 'exited', exitCode: 1 });
  });
});

describe('decodeShellStatus', () => {
  it('reads 128 + N as signal N and leaves other codes alone', () => {
    expect(decodeShellStatus(139)).toEqual({ exitCode: null, signal: 'SIGSEGV' });
    expect(decodeShellStatus(152)).toEqual({ exitCode: null, signal: 'SIGXCPU' });
    expect(decodeShellStatus(137)).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(decodeShellStatus(1)).toEqual({ exitCode: 1, signal: null });
    expect(decodeShellStatus(128)).toEqual({ exitCode: 128, signal: null });
    expect(decodeShellStatus(255)).toEqual({ exitCode: 255, signal: null });
  });
});
