import { describe, expect, it } from '@jest/globals';
import {
  AgentCallError,
  AgentDeadlineError,
  AgentInvalidTensorError,
  AgentMessageTooLargeError,
  AgentProtocolVersionError,
  AgentUnreachableError,
  AgentUsageError,
  TensorError,
} from '../errors.js';
import type { ProcessOutcome } from '../sandbox/types.js';
import { AgentProcessEndedError, BudgetDeadlineError, STDERR_TAIL_CHARS, verdictOf } from './verdict.js';

const report = (stderrTail = 'Traceback: boom\n') => ({
  measurements: { wallSeconds: 2.5, cpuSeconds: 1.25, peakMemoryBytes: 50_000_000, source: { cpu: 'cgroup-v2', memory: 'cgroup-v1' } as const },
  output: { stdoutTail: '', stderrTail, stdoutBytes: 0, stderrBytes: stderrTail.length },
});
const outcome = (o: Record<string, unknown>): ProcessOutcome => ({ ...report(), ...o }) as ProcessOutcome;
const measured = { wallSeconds: 2.5, cpuSeconds: 1.25, peakMemoryBytes: 50_000_000 };

describe('verdictOf', () => {
  it('nothing failed: no verdict', () => {
    expect(verdictOf({})).toBeUndefined();
    expect(verdictOf({ outcome: outcome({ kind: 'exited', exitCode: 0 }) })).toBeUndefined();
  });

  it.each([
    ['act', 'act'],
    ['reset', 'reset'],
  ] as const)('a missed %s deadline is TIMEOUT naming the call, the agent’s fault, not retryable', (method, deadline) => {
    const v = verdictOf({ error: new AgentDeadlineError(method, 200), outcome: outcome({ kind: 'killed', reason: 'deadline' }) });
    expect(v).toEqual({
      kind: 'TIMEOUT',
      deadline,
      fault: 'agent',
      retryable: false,
      reason: `agent ${method} missed its deadline of 200 ms`,
      measurements: measured,
      stderrTail: 'Traceback: boom\n',
    });
  });

  it('episode and evaluation budgets are TIMEOUTs naming them', () => {
    expect(verdictOf({ error: new BudgetDeadlineError('episode', 5000) })).toMatchObject({
      kind: 'TIMEOUT',
      deadline: 'episode',
      fault: 'agent',
      measurements: null,
      stderrTail: '',
    });
    expect(verdictOf({ error: new BudgetDeadlineError('evaluation', 9000) })).toMatchObject({ kind: 'TIMEOUT', deadline: 'evaluation' });
  });

  it('an agent that never listens is TIMEOUT connect; one that died before listening is CRASH with its exit code', () => {
    const unreachable = new AgentUnreachableError('unix:/run/agent/agent.sock', 3000);
    expect(verdictOf({ error: unreachable, outcome: outcome({ kind: 'killed', reason: 'x' }) })).toMatchObject({ kind: 'TIMEOUT', deadline: 'connect' });
    expect(verdictOf({ error: unreachable, outcome: outcome({ kind: 'exited', exitCode: 2 }) })).toMatchObject({ kind: 'CRASH', exitCode: 2, fault: 'agent' });
  });

  it('the agent going away mid-call is CRASH with the exit code or signal the sandbox saw', () => {
    const gone = new AgentCallError('act', 'UNAVAILABLE', 'Connection dropped');
    expect(verdictOf({ error: gone, outcome: outcome({ kind: 'exited', exitCode: 3 }) })).toMatchObject({
      kind: 'CRASH',
      exitCode: 3,
      reason: "the agent's process exited with code 3",
    });
    expect(verdictOf({ error: gone, outcome: outcome({ kind: 'signaled', signal: 'SIGSEGV' }) })).toMatchObject({ kind: 'CRASH', signal: 'SIGSEGV' });
    expect(verdictOf({ error: gone })).toMatchObject({ kind: 'CRASH', reason: 'the agent went away during act (UNAVAILABLE)', measurements: null });
    expect(verdictOf({ outcome: outcome({ kind: 'exited', exitCode: 0 }), error: gone })).toMatchObject({ kind: 'CRASH', exitCode: 0 });
  });

  it('an exception in the agent is CRASH with its message', () => {
    const raised = new AgentCallError('act', 'INTERNAL', 'ValueError: bad');
    expect(verdictOf({ error: raised, outcome: outcome({ kind: 'killed', reason: 'failed' }) })).toMatchObject({
      kind: 'CRASH',
      reason: 'the agent failed in act: ValueError: bad',
    });
  });

  it('limits reported by the sandbox win over the symptom the client saw', () => {
    const gone = new AgentCallError('act', 'UNAVAILABLE', 'x');
    expect(verdictOf({ error: gone, outcome: outcome({ kind: 'out-of-memory', cause: 'cgroup-oom-kill', limitBytes: 256 }) })).toMatchObject({
      kind: 'OUT_OF_MEMORY',
      limitBytes: 256,
      fault: 'agent',
      retryable: false,
    });
    expect(verdictOf({ error: gone, outcome: outcome({ kind: 'output-limit', limitBytes: 1024 }) })).toMatchObject({ kind: 'OUTPUT_LIMIT', limitBytes: 1024 });
    expect(verdictOf({ error: new AgentDeadlineError('act', 100), outcome: outcome({ kind: 'wall-time-limit', limitSeconds: 10 }) })).toMatchObject({
      kind: 'TIMEOUT',
      deadline: 'sandbox-wall',
    });
    expect(verdictOf({ outcome: outcome({ kind: 'cpu-time-limit', limitSeconds: 5, signal: 'SIGXCPU' }) })).toMatchObject({
      kind: 'TIMEOUT',
      deadline: 'sandbox-cpu',
    });
  });

  it('a sandbox failure is INTERNAL, the platform’s fault, retryable', () => {
    expect(
      verdictOf({ error: new AgentUnreachableError('unix:x', 1), outcome: outcome({ kind: 'sandbox-failure', message: 'bwrap: setting up uid map' }) }),
    ).toMatchObject({
      kind: 'INTERNAL',
      fault: 'platform',
      retryable: true,
      reason: 'the sandbox failed: bwrap: setting up uid map',
    });
  });

  it('oversized messages, wrong versions and missing RPCs are PROTOCOL', () => {
    const killed = outcome({ kind: 'killed', reason: 'x' });
    expect(verdictOf({ error: new AgentMessageTooLargeError('act', 'response', 4194304, 'd'), outcome: killed })).toMatchObject({
      kind: 'PROTOCOL',
      limitBytes: 4194304,
      fault: 'agent',
    });
    expect(verdictOf({ error: new AgentProtocolVersionError('2.0', '1.0') })).toMatchObject({ kind: 'PROTOCOL' });
    expect(verdictOf({ error: new AgentCallError('reset', 'UNIMPLEMENTED', 'no') })).toMatchObject({ kind: 'PROTOCOL' });
  });

  it('a malformed action is INVALID_ACTION naming the issue', () => {
    const v = verdictOf({ error: new AgentInvalidTensorError('act', new TensorError('action', 'non_finite', 'element 2 is NaN')) });
    expect(v).toMatchObject({ kind: 'INVALID_ACTION', fault: 'agent', reason: 'agent act returned an invalid tensor: action: element 2 is NaN' });
  });

  it('our own bugs are INTERNAL, the evaluator’s fault, retryable', () => {
    expect(verdictOf({ error: new AgentUsageError('act before a successful reset') })).toMatchObject({
      kind: 'INTERNAL',
      fault: 'evaluator',
      retryable: true,
      reason: 'evaluator error: AgentUsageError: act before a successful reset',
    });
    expect(verdictOf({ error: 'weird' })).toMatchObject({ kind: 'INTERNAL', reason: 'evaluator error: weird' });
  });

  it('keeps the end of stderr, sanitised and bounded', () => {
    const long = 'x'.repeat(10_000) + '\u0000' + 'END';
    const v = verdictOf({ outcome: { ...outcome({ kind: 'exited', exitCode: 1 }), output: { ...report().output, stderrTail: long } } })!;
    expect(v.stderrTail.length).toBe(STDERR_TAIL_CHARS);
    expect(v.stderrTail.endsWith('x\uFFFDEND')).toBe(true);
  });
});

describe('verdictOf, a process that ends while still needed', () => {
  it('is CRASH even with exit code 0', () => {
    expect(verdictOf({ error: new AgentProcessEndedError('reset'), outcome: outcome({ kind: 'exited', exitCode: 0 }) })).toMatchObject({
      kind: 'CRASH',
      exitCode: 0,
      fault: 'agent',
    });
    expect(verdictOf({ error: new AgentProcessEndedError('act'), outcome: outcome({ kind: 'signaled', signal: 'SIGKILL' }) })).toMatchObject({
      kind: 'CRASH',
      signal: 'SIGKILL',
    });
  });
});
