import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { AgentInvalidTensorError, AgentUnreachableError, AgentUsageError, TensorError, type AgentMethod } from '../errors.js';
import { AgentServiceClient, type ActRequest, type ActResponse, type PingResponse } from '../generated/kinitro/agent/v1/agent.js';
import { checkProtocolVersion, PROTOCOL_VERSION, servesActStream } from '../protocol.js';
import { decodeTensors, encodeTensors, type NamedTensors } from '../tensor/codec.js';
import { checkTensors, taskSpacesToWire, type TaskSpaces } from '../tensor/spec.js';
import { ActStream } from './act-stream.js';
// The file, not the #platform barrel, which loads Nest: the SDK's local evaluation starts without it.
import { evaluationMetrics } from '../../../platform/src/metrics/evaluation-metrics.js';
import { agentErrorOf } from './status.js';

export const DEFAULT_DEADLINES_MS: Readonly<Record<AgentMethod, number>> = { ping: 10_000, reset: 5_000, act: 1_000, shutdown: 5_000 };
/** grpc's own default; a MetaWorld observation is ~300 bytes, a 480×480 RGB frame ~700 KB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

export interface AgentClientOptions {
  /** Per-RPC deadline; a missed one is an AgentDeadlineError. */
  readonly deadlinesMs?: Partial<Record<AgentMethod, number>>;
  /** Bound on every message in both directions; a larger one is an AgentMessageTooLargeError. */
  readonly maxMessageBytes?: number;
  /** How long connect() waits for the agent's socket to answer. */
  readonly connectTimeoutMs?: number;
  /**
   * Drive the steps through ActStream when the agent serves it (it announced protocol 1.1 or later), else
   * through unary Act. Default true; false forces Act (to compare the two).
   */
  readonly actStream?: boolean;
}

export interface AgentIdentity {
  readonly name: string;
  readonly version: string;
  readonly wants: readonly string[];
  readonly protocolVersion: string;
}

export interface ResetParams {
  readonly seed: bigint | number;
  readonly task: string;
  readonly benchmark?: string;
  readonly episodeIndex?: number;
}

/**
 * The evaluator's side of the agent contract: every call has a deadline and a message-size bound, every tensor
 * is checked on the way out (observations) and in (actions against the task's action space).
 * Call order: ping (once, announcing the tasks) → reset → act… → reset → … → shutdown.
 */
export class AgentClient {
  private readonly deadlines: Readonly<Record<AgentMethod, number>>;
  private tasks = new Map<string, TaskSpaces>();
  private current: TaskSpaces | undefined;
  private streaming = false;
  private stream: ActStream | undefined;

  private constructor(
    private readonly stub: AgentServiceClient,
    private readonly maxMessageBytes: number,
    private readonly options: AgentClientOptions,
  ) {
    this.deadlines = { ...DEFAULT_DEADLINES_MS, ...options.deadlinesMs };
  }

  /** Connects to `unix:/path/agent.sock` (or any grpc address) and waits until it answers. */
  static async connect(address: string, options: AgentClientOptions = {}): Promise<AgentClient> {
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const stub = new AgentServiceClient(address, credentials.createInsecure(), {
      'grpc.max_receive_message_length': maxMessageBytes,
      'grpc.max_send_message_length': maxMessageBytes,
      // The agent's socket appears a few hundred ms after its process starts: retry quickly, not after grpc's 1 s.
      'grpc.initial_reconnect_backoff_ms': 50,
      'grpc.max_reconnect_backoff_ms': 250,
    });
    try {
      await new Promise<void>((resolve, reject) => stub.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve())));
    } catch (error) {
      stub.close();
      throw new AgentUnreachableError(address, timeoutMs, error);
    }
    return new AgentClient(stub, maxMessageBytes, options);
  }

  /** Announces the tasks of the session and checks the agent's protocol version. */
  async ping(tasks: readonly TaskSpaces[]): Promise<AgentIdentity> {
    const response: PingResponse = await this.call('ping', (md, opts, cb) =>
      this.stub.ping({ protocolVersion: PROTOCOL_VERSION, tasks: tasks.map(taskSpacesToWire) }, md, opts, cb),
    );
    checkProtocolVersion(response.protocolVersion);
    this.streaming = (this.options.actStream ?? true) && servesActStream(response.protocolVersion);
    this.tasks = new Map(tasks.map((t) => [t.task, t]));
    return { name: response.agentName, version: response.agentVersion, wants: response.wants, protocolVersion: response.protocolVersion };
  }

  /** How the steps travel: 'stream' (ActStream) or 'unary' (Act); known after ping. */
  get actTransport(): 'stream' | 'unary' {
    return this.streaming ? 'stream' : 'unary';
  }

  async reset(params: ResetParams): Promise<void> {
    const spaces = this.tasks.get(params.task);
    if (!spaces) throw new AgentUsageError(`task ${params.task} was not announced in ping (announced: ${[...this.tasks.keys()].join(', ') || 'none'})`);
    this.current = undefined;
    await this.call('reset', (md, opts, cb) =>
      this.stub.reset(
        { seed: BigInt(params.seed), task: params.task, benchmark: params.benchmark ?? '', episodeIndex: params.episodeIndex ?? 0 },
        md,
        opts,
        cb,
      ),
    );
    this.current = spaces;
  }

  /** One step: the observation must match the task's observation space; the action is checked against its action space. */
  async act(observation: NamedTensors, step: number): Promise<NamedTensors> {
    const spaces = this.current;
    if (!spaces) throw new AgentUsageError('act before a successful reset');
    checkTensors(observation, spaces.observation);
    const request = { observation: encodeTensors(observation), step };
    const response: ActResponse = await evaluationMetrics.timeAct(this.streaming ? 'stream' : 'unary', () =>
      this.streaming ? this.streamStep(request) : this.call('act', (md, opts, cb) => this.stub.act(request, md, opts, cb)),
    );
    try {
      const action = decodeTensors(response.action);
      checkTensors(action, spaces.action);
      return action;
    } catch (error) {
      if (error instanceof TensorError) throw new AgentInvalidTensorError('act', error);
      throw error;
    }
  }

  /** Tells the agent the session is over (Shutdown), then closes the channel. */
  async shutdown(): Promise<void> {
    this.stream?.end();
    this.stream = undefined;
    try {
      await this.call('shutdown', (md, opts, cb) => this.stub.shutdown({}, md, opts, cb));
    } finally {
      this.dispose();
    }
  }

  /** Closes the channel without telling the agent (it is being killed anyway). */
  dispose(): void {
    this.stream?.cancel();
    this.stream = undefined;
    this.stub.close();
  }

  /** One step on the session's ActStream, opened on the first step and again after a step that finished it. */
  private async streamStep(request: ActRequest): Promise<ActResponse> {
    const stream = (this.stream ??= new ActStream(this.stub, { timeoutMs: this.deadlines.act, maxMessageBytes: this.maxMessageBytes }));
    try {
      return await stream.step(request);
    } finally {
      if (stream.failed && this.stream === stream) this.stream = undefined;
    }
  }

  private call<T>(
    method: AgentMethod,
    invoke: (metadata: Metadata, options: { deadline: number }, callback: (error: ServiceError | null, response: T) => void) => void,
  ): Promise<T> {
    const timeoutMs = this.deadlines[method];
    return new Promise<T>((resolve, reject) =>
      invoke(new Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
        error ? reject(agentErrorOf(method, error, { timeoutMs, maxMessageBytes: this.maxMessageBytes })) : resolve(response),
      ),
    );
  }
}
