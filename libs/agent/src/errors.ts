/**
 * What can go wrong talking to an agent, one class per cause so that the evaluator can turn each into a
 * verdict without parsing messages. Every error names the RPC it happened in.
 */

export type AgentMethod = 'ping' | 'reset' | 'act' | 'shutdown';

export abstract class AgentError extends Error {
  abstract readonly method: AgentMethod | 'connect';
}

/** The agent did not answer within the call's deadline. */
export class AgentDeadlineError extends AgentError {
  override readonly name = 'AgentDeadlineError';
  constructor(
    readonly method: AgentMethod,
    readonly timeoutMs: number,
  ) {
    super(`agent ${method} missed its deadline of ${timeoutMs} ms`);
  }
}

/**
 * A message exceeded the size bound: the agent's response (`response`) or, when the agent's server has a lower
 * bound than ours, our request (`request`).
 */
export class AgentMessageTooLargeError extends AgentError {
  override readonly name = 'AgentMessageTooLargeError';
  constructor(
    readonly method: AgentMethod,
    readonly direction: 'request' | 'response',
    readonly limitBytes: number,
    readonly detail: string,
  ) {
    super(`agent ${method}: ${direction} larger than the ${limitBytes}-byte bound (${detail})`);
  }
}

/** The agent announced a protocol version this client cannot drive, or none. */
export class AgentProtocolVersionError extends AgentError {
  override readonly name = 'AgentProtocolVersionError';
  readonly method = 'ping' as const;
  constructor(
    readonly announced: string,
    readonly expected: string,
  ) {
    super(
      announced === ''
        ? `agent announced no protocol version; this evaluator speaks kinitro.agent.v1 ${expected} (upgrade the agent SDK)`
        : `agent speaks protocol version "${announced}"; this evaluator speaks ${expected} (same major required)`,
    );
  }
}

/** The agent answered, but with a tensor that breaks the contract (shape, dtype, byte length, NaN/Inf, missing). */
export class AgentInvalidTensorError extends AgentError {
  override readonly name = 'AgentInvalidTensorError';
  constructor(
    readonly method: AgentMethod,
    override readonly cause: TensorError,
  ) {
    super(`agent ${method} returned an invalid tensor: ${cause.message}`);
  }
}

/** The agent answered against the protocol's rules, e.g. a batch of steps with another number of actions. */
export class AgentProtocolViolationError extends AgentError {
  override readonly name = 'AgentProtocolViolationError';
  constructor(
    readonly method: AgentMethod,
    readonly detail: string,
  ) {
    super(`agent ${method} broke the protocol: ${detail}`);
  }
}

/** The call ended with a gRPC status other than the ones above: the agent raised, is gone, or lacks the RPC. */
export class AgentCallError extends AgentError {
  override readonly name = 'AgentCallError';
  constructor(
    readonly method: AgentMethod,
    /** gRPC status name, e.g. INTERNAL, UNAVAILABLE, UNIMPLEMENTED. */
    readonly status: string,
    readonly details: string,
  ) {
    super(`agent ${method} failed with ${status}: ${details}`);
  }
}

/** Nothing answered on the agent's address within the connect timeout. */
export class AgentUnreachableError extends AgentError {
  override readonly name = 'AgentUnreachableError';
  readonly method = 'connect' as const;
  constructor(
    readonly address: string,
    readonly timeoutMs: number,
    override readonly cause?: unknown,
  ) {
    super(`no agent answered on ${address} within ${timeoutMs} ms`);
  }
}

/** The caller broke the call order (act before reset, a task not announced in ping): an evaluator bug. */
export class AgentUsageError extends Error {
  override readonly name = 'AgentUsageError';
}

export type TensorIssue = 'unknown_dtype' | 'bad_shape' | 'byte_length' | 'non_finite' | 'dtype_mismatch' | 'shape_mismatch' | 'out_of_range' | 'missing';

/** One tensor breaks the contract; `tensor` is its name (`action`, `state`). */
export class TensorError extends Error {
  override readonly name = 'TensorError';
  constructor(
    readonly tensor: string,
    readonly issue: TensorIssue,
    detail: string,
  ) {
    super(`${tensor}: ${detail}`);
  }
}
