import { status, type ServiceError } from '@grpc/grpc-js';
import { AgentCallError, AgentDeadlineError, AgentMessageTooLargeError, type AgentError, type AgentMethod } from '../errors.js';

/**
 * Which side's size bound a RESOURCE_EXHAUSTED is about, from grpc's own wording (grpc-js and grpc core differ):
 * our send bound ("Attempted to send"), the agent's send bound ("Sent message larger"), or a receive bound,
 * ours when it names our limit, else the agent server's (it refused our request).
 */
const oversize = (details: string, ourLimit: number): { direction: 'request' | 'response'; limit: number } | undefined => {
  const numbers = details.match(/\d+/g);
  const named = numbers ? Number(numbers[numbers.length - 1]) : ourLimit;
  if (/^Attempted to send message/.test(details)) return { direction: 'request', limit: ourLimit };
  if (/Sent message larger than max/.test(details)) return { direction: 'response', limit: named };
  if (/Received message (larger than max|that decompresses)/.test(details)) {
    return named === ourLimit ? { direction: 'response', limit: ourLimit } : { direction: 'request', limit: named };
  }
  return undefined;
};

/** Turns a failed call's gRPC status into the typed error the evaluator decides on. */
export const agentErrorOf = (method: AgentMethod, error: ServiceError, limits: { timeoutMs: number; maxMessageBytes: number }): AgentError => {
  if (error.code === status.DEADLINE_EXCEEDED) return new AgentDeadlineError(method, limits.timeoutMs);
  if (error.code === status.RESOURCE_EXHAUSTED) {
    const size = oversize(error.details, limits.maxMessageBytes);
    if (size) return new AgentMessageTooLargeError(method, size.direction, size.limit, error.details);
  }
  return new AgentCallError(method, status[error.code] ?? String(error.code), error.details);
};
