import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { AgentUnreachableError, AgentUsageError, type AgentMethod } from '../errors.js';
import type { AgentServiceClient, PingResponse } from '../generated/kinitro/agent/v1/agent.js';
import { checkProtocolVersion, PROTOCOL_VERSION, servesActBatchStream, servesActStream, servesConcurrentEpisodes } from '../protocol.js';
import type { NamedTensors } from '../tensor/codec.js';
import { taskSpacesToWire, type TaskSpaces } from '../tensor/spec.js';
import { ActBatchStream } from './act-batch-stream.js';
import { ActStream } from './act-stream.js';
import { StepReusingAgentServiceClient } from './agent-service-client.js';
import { AgentEpisode, type StepTransport } from './agent-episode.js';
import { agentErrorOf } from './status.js';

export const DEFAULT_DEADLINES_MS: Readonly<Record<AgentMethod, number>> = { ping: 10_000, reset: 5_000, act: 1_000, shutdown: 5_000 };
/** grpc's own default; a MetaWorld observation is ~300 bytes, a 480×480 RGB frame ~700 KB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** Batches of steps unanswered at once on ActBatchStream (see AgentClientOptions.batchesInFlight). */
export const DEFAULT_BATCHES_IN_FLIGHT = 2;

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
  /**
   * The most episodes this client keeps in flight at once (startEpisode), announced in Ping; the session runs
   * min(this, what the agent announces), and one at a time with agents older than protocol 1.2 or over unary
   * Act. Default 1.
   */
  readonly maxConcurrentEpisodes?: number;
  /**
   * With more episodes in flight than `batchesInFlight` and an agent of protocol 1.3 or later, send their steps in
   * batches on one ActBatchStream instead of one ActStream per episode. Default true; false keeps 1.2's streams
   * (to compare).
   */
  readonly actBatch?: boolean;
  /**
   * Batches unanswered at once on ActBatchStream; each holds at most ceil(episodes in flight / this) steps, so
   * the simulation of one batch's episodes overlaps the agent's work on another's. Default
   * DEFAULT_BATCHES_IN_FLIGHT.
   */
  readonly batchesInFlight?: number;
}

export interface AgentIdentity {
  readonly name: string;
  readonly version: string;
  readonly wants: readonly string[];
  readonly protocolVersion: string;
  /** What the agent announced it accepts at once (1 for agents older than protocol 1.2). */
  readonly maxConcurrentEpisodes: number;
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
/**
 * The evaluator's side of the agent contract: every call has a deadline and a message-size bound, every tensor
 * is checked on the way out (observations) and in (actions against the task's action space).
 * Call order: ping (once, announcing the tasks) → per episode startEpisode, its act…, its end (up to
 * concurrentEpisodes of them at once) → shutdown. reset/act drive the session's one-at-a-time episode instead
 * (no episode id, one ActStream kept across episodes: what a 1.1 evaluator did).
 */
export class AgentClient {
  private readonly deadlines: Readonly<Record<AgentMethod, number>>;
  private tasks = new Map<string, TaskSpaces>();
  private streaming = false;
  private batching = false;
  private batchesInFlight = DEFAULT_BATCHES_IN_FLIGHT;
  private concurrency = 1;
  private inFlight = 0;
  private episodesStarted = 0;
  /** The episode of reset/act. */
  private current: AgentEpisode | undefined;
  /** The ActStream of reset/act's episodes, kept across them. */
  private sessionStream: ActStream | undefined;
  /** The ActStreams of startEpisode's episodes in flight. */
  private readonly episodeStreams = new Set<ActStream>();
  /** The ActBatchStream of startEpisode's episodes when batching, opened on the first step and again after a failure. */
  private batchStream: ActBatchStream | undefined;

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
    const stub = new StepReusingAgentServiceClient(address, credentials.createInsecure(), {
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
    const wanted = this.options.maxConcurrentEpisodes ?? 1;
    if (!Number.isSafeInteger(wanted) || wanted < 1) throw new AgentUsageError(`maxConcurrentEpisodes must be a positive integer, got ${wanted}`);
    const batches = (this.batchesInFlight = this.options.batchesInFlight ?? DEFAULT_BATCHES_IN_FLIGHT);
    if (!Number.isSafeInteger(batches) || batches < 1) throw new AgentUsageError(`batchesInFlight must be a positive integer, got ${batches}`);
    const response: PingResponse = await this.call('ping', (md, opts, cb) =>
      this.stub.ping({ protocolVersion: PROTOCOL_VERSION, tasks: tasks.map(taskSpacesToWire), maxConcurrentEpisodes: wanted }, md, opts, cb),
    );
    checkProtocolVersion(response.protocolVersion);
    this.streaming = (this.options.actStream ?? true) && servesActStream(response.protocolVersion);
    const accepted = servesConcurrentEpisodes(response.protocolVersion) ? Math.max(1, response.maxConcurrentEpisodes) : 1;
    // Episode ids travel with ActStream, whose end is the episode's: over unary Act the agent could not tell it.
    this.concurrency = this.streaming ? Math.min(wanted, accepted) : 1;
    // A batch holds up to ceil(episodes in flight / batches in flight) steps: with no more episodes than batches there
    // is nothing to divide, and 1.2's stream per episode was as fast or faster (test/bench/agent.bench.ts).
    this.batching = (this.options.actBatch ?? true) && servesActBatchStream(response.protocolVersion) && this.concurrency > batches;
    this.tasks = new Map(tasks.map((t) => [t.task, t]));
    return {
      name: response.agentName,
      version: response.agentVersion,
      wants: response.wants,
      protocolVersion: response.protocolVersion,
      maxConcurrentEpisodes: accepted,
    };
  }

  /** How the steps travel: 'stream' (ActStream) or 'unary' (Act); known after ping. */
  get actTransport(): 'stream' | 'unary' {
    return this.streaming ? 'stream' : 'unary';
  }

  /** Whether startEpisode's episodes send their steps in batches on one ActBatchStream (protocol 1.3); known after ping. */
  get batchesSteps(): boolean {
    return this.batching;
  }

  /** How many episodes startEpisode keeps in flight at once; known after ping. */
  get concurrentEpisodes(): number {
    return this.concurrency;
  }

  /**
   * Starts an episode that may run beside others (up to concurrentEpisodes): Reset with a fresh episode id, then
   * its steps on its own ActStream, which `end()` half-closes (the agent may then forget the episode). Over unary
   * Act (one at a time) the id is empty.
   */
  async startEpisode(params: ResetParams): Promise<AgentEpisode> {
    const spaces = this.spacesOf(params.task);
    if (this.inFlight >= this.concurrency) throw new AgentUsageError(`startEpisode with ${this.inFlight} episode(s) in flight, the most this session allows`);
    this.inFlight++;
    const id = this.streaming ? `e${++this.episodesStarted}` : '';
    try {
      await this.resetCall(params, id);
    } catch (error) {
      this.inFlight--;
      throw error;
    }
    const transport = this.batching ? this.batchTransport(id) : this.streaming ? this.episodeStreamTransport() : this.unaryTransport(() => this.inFlight--);
    return new AgentEpisode(spaces, id, transport);
  }

  /** Starts the session's one-at-a-time episode (no episode id): what act then drives. */
  async reset(params: ResetParams): Promise<void> {
    const spaces = this.spacesOf(params.task);
    this.current = undefined;
    await this.resetCall(params, '');
    this.current = new AgentEpisode(spaces, '', this.streaming ? this.sessionStreamTransport() : this.unaryTransport(() => {}));
  }

  /** One step of reset's episode: the observation must match the task's observation space; the action is checked against its action space. */
  async act(observation: NamedTensors, step: number): Promise<NamedTensors> {
    if (!this.current) throw new AgentUsageError('act before a successful reset');
    return this.current.act(observation, step);
  }

  /** Tells the agent the session is over (Shutdown), then closes the channel. */
  async shutdown(): Promise<void> {
    for (const stream of this.streams()) stream.end();
    this.batchStream?.end();
    this.forgetStreams();
    try {
      await this.call('shutdown', (md, opts, cb) => this.stub.shutdown({}, md, opts, cb));
    } finally {
      this.dispose();
    }
  }

  /** Closes the channel without telling the agent (it is being killed anyway). */
  dispose(): void {
    for (const stream of this.streams()) stream.cancel();
    this.batchStream?.cancel();
    this.forgetStreams();
    this.stub.close();
  }

  private spacesOf(task: string): TaskSpaces {
    const spaces = this.tasks.get(task);
    if (!spaces) throw new AgentUsageError(`task ${task} was not announced in ping (announced: ${[...this.tasks.keys()].join(', ') || 'none'})`);
    return spaces;
  }

  private async resetCall(params: ResetParams, episodeId: string): Promise<void> {
    await this.call('reset', (md, opts, cb) =>
      this.stub.reset(
        { seed: BigInt(params.seed), task: params.task, benchmark: params.benchmark ?? '', episodeIndex: params.episodeIndex ?? 0, episodeId },
        md,
        opts,
        cb,
      ),
    );
  }

  private openStream(): ActStream {
    return new ActStream(this.stub, { timeoutMs: this.deadlines.act, maxMessageBytes: this.maxMessageBytes });
  }

  private streams(): ActStream[] {
    return [...this.episodeStreams, ...(this.sessionStream ? [this.sessionStream] : [])];
  }

  private forgetStreams(): void {
    this.episodeStreams.clear();
    this.sessionStream = undefined;
    this.batchStream = undefined;
  }

  /** An episode's own ActStream, opened on its first step; a failure finishes it, and the episode with it. */
  private episodeStreamTransport(): StepTransport {
    let stream: ActStream | undefined;
    return {
      kind: 'stream',
      send: (request) => {
        if (!stream) this.episodeStreams.add((stream = this.openStream()));
        return stream.step(request);
      },
      end: () => {
        this.inFlight--;
        if (!stream) return;
        stream.end();
        this.episodeStreams.delete(stream);
      },
    };
  }

  /**
   * A step of an episode in a batch on the session's ActBatchStream: the stream of its first step, whose failure
   * finishes the episode; an episode starting after a failure gets a fresh stream.
   */
  private batchTransport(id: string): StepTransport {
    let stream: ActBatchStream | undefined;
    return {
      kind: 'batch',
      send: (request) => {
        if (!stream) {
          if (!this.batchStream || this.batchStream.failed) {
            const limits = { timeoutMs: this.deadlines.act, maxMessageBytes: this.maxMessageBytes, batchesInFlight: this.batchesInFlight };
            this.batchStream = new ActBatchStream(this.stub, limits);
          }
          (stream = this.batchStream).join();
        }
        return stream.step(request);
      },
      end: () => {
        this.inFlight--;
        stream?.leave(id);
      },
    };
  }

  /** The session's ActStream, opened on the first step and again after a step that finished it. */
  private sessionStreamTransport(): StepTransport {
    return {
      kind: 'stream',
      send: async (request) => {
        const stream = (this.sessionStream ??= this.openStream());
        try {
          return await stream.step(request);
        } finally {
          if (stream.failed && this.sessionStream === stream) this.sessionStream = undefined;
        }
      },
      end: () => {},
    };
  }

  private unaryTransport(end: () => void): StepTransport {
    return { kind: 'unary', send: (request) => this.call('act', (md, opts, cb) => this.stub.act(request, md, opts, cb)), end };
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
