import { Metadata, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { AgentCallError, AgentDeadlineError, AgentProtocolViolationError, type AgentError } from '../errors.js';
import type { ActBatchRequest, ActBatchResponse, ActRequest, ActResponse, AgentServiceClient } from '../generated/kinitro/agent/v1/agent.js';
import type { ActStreamLimits } from './act-stream.js';
import { agentErrorOf } from './status.js';

export interface ActBatchLimits extends ActStreamLimits {
  /** Batches written and not yet answered at most; a batch holds at most ceil(episodes / this) steps. */
  readonly batchesInFlight: number;
}

/** What a step adds to a batch's message, over-estimated: its tensors' bytes and a little framing for each field. */
const bytesOf = (request: ActRequest): number => {
  let bytes = 64 + request.episodeId.length;
  for (const [name, tensor] of Object.entries(request.observation)) bytes += name.length + tensor.data.length + 16 + 8 * tensor.shape.length;
  return bytes;
};

interface Step {
  readonly request: ActRequest;
  readonly resolve: (response: ActResponse) => void;
  readonly reject: (error: AgentError) => void;
}

interface SentBatch {
  readonly steps: readonly Step[];
  readonly timer: NodeJS.Timeout;
}

/**
 * One ActBatchStream (protocol 1.3), shared by the episodes in flight: each episode's step waits in a pending
 * list that is flushed once the microtasks queued with it have run, so the steps of every episode whose
 * simulation finished in this turn of the event loop travel in one message. At most `batchesInFlight` batches
 * are unanswered at once, each of at most ceil(episodes / batchesInFlight) steps and no more than fit the message
 * bound together, so the simulation of one batch's episodes overlaps the agent's work on another's. Each batch is
 * answered under the Act deadline or the stream is cancelled; the answers pair with the batches in order. The
 * first failure (a late batch, a wrong number of actions, an error status, the agent ending the stream) finishes
 * the stream and fails every step on it, sent or pending, and every later one: the agent's state for those
 * episodes is unknown.
 */
export class ActBatchStream {
  private readonly call: ClientDuplexStream<ActBatchRequest, ActBatchResponse>;
  private readonly pending: Step[] = [];
  private readonly sent: SentBatch[] = [];
  private finishedIds: string[] = [];
  private episodes = 0;
  private flushScheduled = false;
  private failure: AgentError | undefined;

  constructor(
    stub: AgentServiceClient,
    private readonly limits: ActBatchLimits,
  ) {
    this.call = stub.actBatchStream(new Metadata());
    this.call.on('data', (response: ActBatchResponse) => this.answer(response));
    this.call.on('error', (error: ServiceError) => this.fail(agentErrorOf('act', error, limits)));
    this.call.on('status', () =>
      this.fail(new AgentCallError('act', 'OK', `the agent ended its ActBatchStream${this.sent.length > 0 ? ' with steps unanswered' : ''}`)),
    );
  }

  /** True once the stream is finished: episodes starting now need another. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** An episode takes its steps here from now on (it counts toward the batch size). */
  join(): void {
    this.episodes++;
  }

  /** An episode that joined is over: the next batch tells the agent it may forget it. */
  leave(episodeId: string): void {
    this.episodes--;
    if (!this.failure) this.finishedIds.push(episodeId);
  }

  step(request: ActRequest): Promise<ActResponse> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ActResponse>((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Half-closes the stream: the agent's side of it ends, and with it every episode it carried. */
  end(): void {
    if (!this.failure) this.call.end();
  }

  cancel(): void {
    this.call.cancel();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Once the microtasks queued now have run (they step the simulation of every episode this turn's answers
    // resumed), before the event loop goes on. On setImmediate, the other batch's answer, read meanwhile, was
    // handled first: this batch left only after that one's simulation too, the two came back together, and the
    // simulation idled meanwhile (~12% of the time at 8 episodes in 2 batches).
    process.nextTick(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const size = Math.max(1, Math.ceil(this.episodes / this.limits.batchesInFlight));
    while (!this.failure && this.pending.length > 0 && this.sent.length < this.limits.batchesInFlight) {
      const steps: Step[] = [];
      let bytes = 0;
      while (steps.length < size && this.pending.length > 0) {
        // A batch never outgrows the message bound that its steps sent one by one would each keep (camera frames).
        const next = bytesOf(this.pending[0]!.request);
        if (steps.length > 0 && bytes + next > this.limits.maxMessageBytes) break;
        bytes += next;
        steps.push(this.pending.shift()!);
      }
      const timer = setTimeout(() => {
        this.fail(new AgentDeadlineError('act', this.limits.timeoutMs));
        this.call.cancel();
      }, this.limits.timeoutMs);
      this.sent.push({ steps, timer });
      this.call.write({ steps: steps.map((s) => s.request), finishedEpisodeIds: this.finishedIds });
      this.finishedIds = [];
    }
  }

  private answer(response: ActBatchResponse): void {
    const batch = this.sent.shift();
    if (!batch || response.actions.length !== batch.steps.length) {
      if (batch) this.sent.unshift(batch);
      const detail = batch
        ? `it answered a batch of ${batch.steps.length} step(s) with ${response.actions.length} action(s)`
        : 'it answered on its ActBatchStream with no batch waiting';
      this.fail(new AgentProtocolViolationError('act', detail));
      this.call.cancel();
      return;
    }
    clearTimeout(batch.timer);
    batch.steps.forEach((step, i) => step.resolve(response.actions[i]!));
    // The next batch waits for the steps these answers lead to (their episodes step their simulation first).
    if (this.pending.length > 0) this.scheduleFlush();
  }

  private fail(error: AgentError): void {
    if (this.failure) return;
    this.failure = error;
    for (const batch of this.sent.splice(0)) {
      clearTimeout(batch.timer);
      for (const step of batch.steps) step.reject(error);
    }
    for (const step of this.pending.splice(0)) step.reject(error);
  }
}
