import { sanitizeText } from '#contracts';
import {
  AgentCallError,
  AgentDeadlineError,
  AgentInvalidTensorError,
  AgentMessageTooLargeError,
  AgentProtocolVersionError,
  AgentProtocolViolationError,
  AgentUnreachableError,
} from '../errors.js';
import type { ProcessOutcome } from '../sandbox/types.js';

/**
 * How an agent's episode (or session) failed, in the spirit of IOI's isolate verdicts: one kind, whose fault it
 * is, whether running it again could change anything, and what the sandbox measured.
 */
export type VerdictKind = 'TIMEOUT' | 'CRASH' | 'OUT_OF_MEMORY' | 'OUTPUT_LIMIT' | 'PROTOCOL' | 'INVALID_ACTION' | 'INTERNAL';
/** `agent`: the miner's code; `evaluator`: a bug of ours; `platform`: the host (sandbox could not run). */
export type Fault = 'agent' | 'evaluator' | 'platform';
/** Which deadline a TIMEOUT missed: an RPC's, the socket's (`connect`), the episode's, the evaluation's, the sandbox's. */
export type Deadline = 'connect' | 'ping' | 'reset' | 'act' | 'shutdown' | 'episode' | 'evaluation' | 'sandbox-wall' | 'sandbox-cpu';

export interface VerdictMeasurements {
  wallSeconds: number;
  cpuSeconds: number | null;
  peakMemoryBytes: number | null;
}

export interface Verdict {
  kind: VerdictKind;
  fault: Fault;
  /** Only faults that are not the agent's: a fresh attempt may go through. */
  retryable: boolean;
  /** One line a miner can act on. */
  reason: string;
  deadline?: Deadline;
  exitCode?: number;
  signal?: string;
  limitBytes?: number;
  /** The process's measurements, when it was (or had been) running. */
  measurements: VerdictMeasurements | null;
  /** The end of the agent's stderr, sanitised and bounded (STDERR_TAIL_CHARS). */
  stderrTail: string;
}

export const STDERR_TAIL_CHARS = 4096;

/** An episode or evaluation ran out of its own time budget (ours, not an RPC's). */
export class BudgetDeadlineError extends Error {
  override readonly name = 'BudgetDeadlineError';
  constructor(
    readonly deadline: 'episode' | 'evaluation',
    readonly timeoutMs: number,
  ) {
    super(`the ${deadline} deadline of ${timeoutMs} ms passed`);
  }
}

/** The agent's process ended while the evaluator still needed it (its outcome says how). */
export class AgentProcessEndedError extends Error {
  override readonly name = 'AgentProcessEndedError';
  constructor(readonly during: string) {
    super(`the agent's process ended during ${during}`);
  }
}

export interface FailureEvidence {
  /** What the evaluator saw go wrong (a client error, a budget deadline, a bug), if anything. */
  error?: unknown;
  /** How the agent's process ended, if it has. */
  outcome?: ProcessOutcome;
}

type Draft = Omit<Verdict, 'fault' | 'retryable' | 'measurements' | 'stderrTail'> & { fault?: Fault };

const tailOf = (outcome: ProcessOutcome | undefined): string =>
  outcome ? sanitizeText(outcome.output.stderrTail.slice(-STDERR_TAIL_CHARS), STDERR_TAIL_CHARS) : '';

/** The process's own end when it explains the failure better than the symptom the client saw. */
const fromOutcome = (outcome: ProcessOutcome, expectedExit: boolean): Draft | undefined => {
  switch (outcome.kind) {
    case 'sandbox-failure':
      return { kind: 'INTERNAL', fault: 'platform', reason: `the sandbox failed: ${outcome.message}` };
    case 'out-of-memory':
      return {
        kind: 'OUT_OF_MEMORY',
        reason: `the agent exceeded its memory limit of ${outcome.limitBytes} bytes (${outcome.cause})`,
        limitBytes: outcome.limitBytes,
      };
    case 'output-limit':
      return { kind: 'OUTPUT_LIMIT', reason: `the agent wrote more than ${outcome.limitBytes} bytes to stdout/stderr`, limitBytes: outcome.limitBytes };
    case 'wall-time-limit':
      return { kind: 'TIMEOUT', deadline: 'sandbox-wall', reason: `the agent's process ran past its wall-clock limit of ${outcome.limitSeconds} s` };
    case 'cpu-time-limit':
      return { kind: 'TIMEOUT', deadline: 'sandbox-cpu', reason: `the agent used more than its CPU limit of ${outcome.limitSeconds} s` };
    case 'signaled':
      return { kind: 'CRASH', signal: outcome.signal, reason: `the agent's process was killed by ${outcome.signal}` };
    case 'exited':
      if (expectedExit && outcome.exitCode === 0) return undefined;
      return {
        kind: 'CRASH',
        exitCode: outcome.exitCode,
        reason: `the agent's process exited with code ${outcome.exitCode}${outcome.exitCode === 0 ? ' before the session ended' : ''}`,
      };
    case 'killed':
      return undefined;
  }
};

/** What the client (or our own budget) saw. */
const fromError = (error: unknown): Draft => {
  if (error instanceof AgentProcessEndedError) return { kind: 'CRASH', reason: error.message };
  if (error instanceof BudgetDeadlineError) return { kind: 'TIMEOUT', deadline: error.deadline, reason: error.message };
  if (error instanceof AgentDeadlineError) return { kind: 'TIMEOUT', deadline: error.method, reason: error.message };
  if (error instanceof AgentUnreachableError)
    return { kind: 'TIMEOUT', deadline: 'connect', reason: `the agent never listened on its socket (${error.timeoutMs} ms)` };
  if (error instanceof AgentMessageTooLargeError) return { kind: 'PROTOCOL', reason: error.message, limitBytes: error.limitBytes };
  if (error instanceof AgentProtocolVersionError || error instanceof AgentProtocolViolationError) return { kind: 'PROTOCOL', reason: error.message };
  if (error instanceof AgentInvalidTensorError) return { kind: 'INVALID_ACTION', reason: error.message };
  if (error instanceof AgentCallError) {
    switch (error.status) {
      case 'UNIMPLEMENTED':
      case 'INVALID_ARGUMENT':
      case 'RESOURCE_EXHAUSTED':
        return { kind: 'PROTOCOL', reason: error.message };
      case 'UNAVAILABLE':
      case 'CANCELLED':
        return { kind: 'CRASH', reason: `the agent went away during ${error.method} (${error.status})` };
      default:
        // INTERNAL/UNKNOWN and the rest: the agent's own code raised or answered with an error status.
        return { kind: 'CRASH', reason: `the agent failed in ${error.method}: ${error.details}` };
    }
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'INTERNAL', fault: 'evaluator', reason: `evaluator error: ${message}` };
};

/** The client saw the agent's end (the socket closed, the process ended): its outcome will say how. */
export const signalsProcessGone = (error: unknown): boolean =>
  error instanceof AgentProcessEndedError ||
  error instanceof AgentUnreachableError ||
  (error instanceof AgentCallError && (error.status === 'UNAVAILABLE' || error.status === 'CANCELLED'));

/** Symptoms a dead or dying process explains better than the client can (INTERNAL: a runtime dying noisily). */
const isSymptomOfDeath = (error: unknown): boolean =>
  error === undefined || signalsProcessGone(error) || (error instanceof AgentCallError && error.status === 'INTERNAL');

/**
 * The one mapping from what went wrong to a verdict. Rules, first match wins:
 * 1. the process ended by a limit or a sandbox failure: that (the client's error is its symptom);
 * 2. the client saw only the agent go away (or nothing): the process's exit, code or signal;
 * 3. otherwise the client's error (deadline, protocol, invalid action, the agent raised, our bug).
 * Returns undefined when nothing failed (no error, a clean exit).
 */
export const verdictOf = ({ error, outcome }: FailureEvidence): Verdict | undefined => {
  const byLimit = outcome && ['sandbox-failure', 'out-of-memory', 'output-limit', 'wall-time-limit', 'cpu-time-limit'].includes(outcome.kind);
  const fromProcess = outcome && (byLimit || isSymptomOfDeath(error)) ? fromOutcome(outcome, error === undefined) : undefined;
  const draft = fromProcess ?? (error === undefined ? undefined : fromError(error));
  if (!draft) return undefined;
  const fault = draft.fault ?? 'agent';
  const { wallSeconds, cpuSeconds, peakMemoryBytes } = outcome?.measurements ?? {};
  return {
    ...draft,
    fault,
    retryable: fault !== 'agent',
    reason: sanitizeText(draft.reason, 1024),
    measurements: outcome ? { wallSeconds: wallSeconds!, cpuSeconds: cpuSeconds ?? null, peakMemoryBytes: peakMemoryBytes ?? null } : null,
    stderrTail: tailOf(outcome),
  };
};
