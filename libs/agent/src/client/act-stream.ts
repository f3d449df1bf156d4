import { Metadata, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { AgentCallError, AgentDeadlineError, type AgentError } from '../errors.js';
import type { ActRequest, ActResponse, AgentServiceClient } from '../generated/kinitro/agent/v1/agent.js';
import { agentErrorOf } from './status.js';

interface WaitingStep {
  readonly step: number;
  readonly resolve: (response: ActResponse) => void;
  readonly reject: (error: AgentError) => void;
  readonly timer: NodeJS.Timeout;
}

export interface ActStreamLimits {
  readonly timeoutMs: number;
  readonly maxMessageBytes: number;
}

/**
 * One ActStream (protocol 1.1; since 1.2 one per episode): one step in flight at a time, each under the same
 * deadline and with the same typed errors as a unary Act, so a step costs one message each way instead of a whole
 * call. The stream is finished by its first failure (a late step cancels it, since its answer would otherwise pair
 * with the next request; an error status; the agent ending it early); that failure goes to the step waiting, or to
 * the next step when none was.
 */
export class ActStream {
  private readonly call: ClientDuplexStream<ActRequest, ActResponse>;
  private waiting: WaitingStep | undefined;
  private failure: AgentError | undefined;

  constructor(
    stub: AgentServiceClient,
    private readonly limits: ActStreamLimits,
  ) {
    // No deadline on the stream itself: it lives for the session, and each step has its own.
    this.call = stub.actStream(new Metadata());
    this.call.on('data', (response: ActResponse) => this.answer(response));
    // grpc-js emits 'error' (a non-OK status) before 'status'; 'status' alone with OK means the agent ended it.
    this.call.on('error', (error: ServiceError) => this.fail(agentErrorOf('act', error, limits)));
    this.call.on('status', () =>
      this.fail(new AgentCallError('act', 'OK', `the agent ended its ActStream${this.waiting ? ` without answering step ${this.waiting.step}` : ''}`)),
    );
  }

  /** True once the stream is finished: the client must open another for the next step. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  step(request: ActRequest): Promise<ActResponse> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error(`ActStream: step ${request.step} sent while step ${this.waiting.step} is unanswered`));
    return new Promise<ActResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new AgentDeadlineError('act', this.limits.timeoutMs));
        this.call.cancel();
      }, this.limits.timeoutMs);
      this.waiting = { step: request.step, resolve, reject, timer };
      this.call.write(request);
    });
  }

  /** Half-closes the stream: the agent's side of it ends (before Shutdown). */
  end(): void {
    if (!this.failure) this.call.end();
  }

  /** Cancels the stream (the session is being torn down). */
  cancel(): void {
    this.call.cancel();
  }

  private answer(response: ActResponse): void {
    const waiting = this.waiting;
    if (!waiting) {
      this.fail(new AgentCallError('act', 'OK', 'the agent answered on its ActStream with no step waiting'));
      this.call.cancel();
      return;
    }
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    waiting.resolve(response);
  }

  private fail(error: AgentError): void {
    if (this.failure) return;
    this.failure = error;
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    waiting.reject(error);
  }
}
