import { Server, ServerCredentials, status, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall, type StatusObject } from '@grpc/grpc-js';
import { lstat, unlink } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TensorError } from '../errors.js';
import {
  AgentServiceService,
  type ActBatchRequest,
  type ActBatchResponse,
  type ActRequest,
  type ActResponse,
  type AgentServiceServer,
} from '../generated/kinitro/agent/v1/agent.js';
import { PROTOCOL_VERSION } from '../protocol.js';
import { decodeTensors, encodeTensors, type NamedTensors, type TensorData } from '../tensor/codec.js';
import { ACTION, checkTensors, taskSpacesFromWire, type TaskSpaces } from '../tensor/spec.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../client/client.js';

/** A bare typed array is the `action` tensor, shaped as the task's action space says. */
export type AgentAction = NamedTensors | TensorData;

export interface EpisodeInfo {
  readonly benchmark: string;
  readonly episodeIndex: number;
}

/**
 * What a TypeScript agent implements; only reset and act are required.
 *
 * Concurrent episodes (protocol 1.2; since 1.3 their steps may come several in one message, each still on its
 * episode's copy): with `maxConcurrentEpisodes` above 1 the evaluator may run that many episodes at once, and
 * each gets its own shallow copy of the agent (its prototype and own properties, taken after setup): keep what an
 * episode needs in properties that `reset` assigns (`this.steps = 0`), not in variables outside the agent or
 * objects created once and changed in place, and what setup loaded is shared.
 * Every step of each episode must still answer within the Act deadline while the others run.
 */
export interface Agent {
  readonly name?: string;
  readonly version?: string;
  /** Observation keys wanted beyond `state`. */
  readonly wants?: readonly string[];
  /** The most episodes the agent takes at once, each on its own copy (default 1: one at a time, on the agent itself). */
  readonly maxConcurrentEpisodes?: number;
  /** Called on Ping with every task of the session and its spaces (load models here). */
  setup?(tasks: readonly TaskSpaces[]): void | Promise<void>;
  reset(seed: bigint, task: string, episode: EpisodeInfo): void | Promise<void>;
  act(observation: NamedTensors, step: number): AgentAction | Promise<AgentAction>;
  /** Called on Shutdown, before the server stops. */
  close?(): void | Promise<void>;
}

/** The environment variable through which the evaluator tells an agent where to listen. */
export const AGENT_SOCKET_VARIABLE = 'KINITRO_AGENT_SOCKET';

export interface ServeOptions {
  /** Path of the Unix socket to listen on. */
  readonly socket: string;
  readonly maxMessageBytes?: number;
}

export interface ServedAgent {
  readonly address: string;
  /** Settles once the server has stopped, after Shutdown or stop(). */
  readonly closed: Promise<void>;
  stop(): Promise<void>;
}

/** A refusal with a chosen status; anything else the agent throws is INTERNAL (and logged to stderr). */
class CallRefused extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

const toNamed = (action: AgentAction, spaces: TaskSpaces | undefined): NamedTensors => {
  if (!ArrayBuffer.isView(action)) return action;
  const spec = spaces?.action.find((s) => s.name === ACTION);
  const dtype = spec?.dtype ?? 'float32';
  return { [ACTION]: { dtype, shape: spec?.shape ?? [action.length], data: action } };
};

/** An observation that breaks the contract is the evaluator's fault: INVALID_ARGUMENT, not an agent crash. */
const refuseInvalid = <T>(decode: () => T): T => {
  try {
    return decode();
  } catch (error) {
    if (error instanceof TensorError) throw new CallRefused(status.INVALID_ARGUMENT, `observation ${error.message}`);
    throw error;
  }
};

/** The status a failed call ends with: a refusal's own, else INTERNAL with the agent's message (its stack to stderr). */
const statusOf = (error: unknown): Pick<StatusObject, 'code' | 'details'> => {
  if (error instanceof CallRefused) return { code: error.code, details: error.message };
  console.error(error);
  return { code: status.INTERNAL, details: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
};

/** An agent and the task of the episode it is running. */
interface Running {
  readonly agent: Agent;
  spaces: TaskSpaces | undefined;
}

/** A shallow copy of a set-up agent for one of several episodes at once: its own properties, the same prototype. */
const copyOf = (agent: Agent): Agent => Object.assign(Object.create(Object.getPrototypeOf(agent) as object) as Agent, agent);

/**
 * The episodes in flight. The one without an id (older evaluators, unary Act) and, for an agent taking one at a
 * time, every episode run on the agent itself; with an id and more allowed, each on its own copy, forgotten when
 * the ActStream that carried its steps ends.
 */
class Episodes {
  private readonly single: Running;
  private readonly byId = new Map<string, Running>();

  constructor(private readonly agent: Agent) {
    this.single = { agent, spaces: undefined };
  }

  private get concurrent(): boolean {
    return (this.agent.maxConcurrentEpisodes ?? 1) > 1;
  }

  start(id: string, spaces: TaskSpaces | undefined): Running {
    if (!id || !this.concurrent) return Object.assign(this.single, { spaces });
    const running = { agent: copyOf(this.agent), spaces };
    this.byId.set(id, running);
    return running;
  }

  of(id: string): Running {
    if (!id || !this.concurrent) return this.single;
    const running = this.byId.get(id);
    if (!running) throw new CallRefused(status.FAILED_PRECONDITION, `Act for episode ${id}, which no Reset started (or whose ActStream ended)`);
    return running;
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) this.byId.delete(id);
  }
}

/** Adapts an Agent to the generated service: decode and check on the way in, encode and check on the way out. */
const serviceOf = (agent: Agent, onClose: () => void): AgentServiceServer => {
  const tasks = new Map<string, TaskSpaces>();
  const episodes = new Episodes(agent);
  const unary =
    <Req, Res>(handle: (request: Req) => Promise<Res>) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      handle(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => callback(statusOf(error)),
      );
    };
  const act = async (request: ActRequest): Promise<ActResponse> => {
    const { agent: running, spaces } = episodes.of(request.episodeId);
    const observation = refuseInvalid(() => {
      const decoded = decodeTensors(request.observation);
      if (spaces) checkTensors(decoded, spaces.observation);
      return decoded;
    });
    const action = toNamed(await running.act(observation, request.step), spaces);
    if (spaces) checkTensors(action, spaces.action);
    return { action: encodeTensors(action) };
  };
  /**
   * A stream answered in order, one answer per request; the first failure ends the stream with its status. The
   * episodes its requests carry end when a request names them finished, or with the stream (the evaluator's
   * half-close, or a cancel).
   */
  const inOrder =
    <Req, Res>(answer: (request: Req) => Promise<Res>, episodesOf: (request: Req) => { carried: readonly string[]; finished: readonly string[] }) =>
    (call: ServerDuplexStream<Req, Res>): void => {
      let answers = Promise.resolve();
      let failed = false;
      const ids = new Set<string>();
      call.on('data', (request: Req) => {
        const { carried, finished } = episodesOf(request);
        episodes.forget(finished);
        for (const id of finished) ids.delete(id);
        for (const id of carried) if (id) ids.add(id);
        answers = answers
          .then(async () => {
            if (!failed) call.write(await answer(request));
          })
          .catch((error: unknown) => {
            failed = true;
            call.emit('error', statusOf(error));
          });
      });
      call.on(
        'end',
        () =>
          void answers.then(() => {
            episodes.forget(ids);
            if (!failed) call.end();
          }),
      );
      call.on('cancelled', () => void answers.then(() => episodes.forget(ids)));
    };
  return {
    ping: unary(async (request) => {
      for (const wire of request.tasks) tasks.set(wire.task, taskSpacesFromWire(wire));
      await agent.setup?.([...tasks.values()]);
      return {
        agentName: agent.name ?? 'agent',
        agentVersion: agent.version ?? '0.0.0',
        wants: [...(agent.wants ?? [])],
        protocolVersion: PROTOCOL_VERSION,
        maxConcurrentEpisodes: agent.maxConcurrentEpisodes ?? 1,
      };
    }),
    reset: unary(async (request) => {
      const spaces = tasks.get(request.task);
      if (!spaces && tasks.size > 0) throw new CallRefused(status.FAILED_PRECONDITION, `task ${request.task} was not announced in ping`);
      const running = episodes.start(request.episodeId, spaces);
      await running.agent.reset(request.seed, request.task, { benchmark: request.benchmark, episodeIndex: request.episodeIndex });
      return {};
    }),
    act: unary(act),
    // The steps of one episode (since 1.2; a 1.1 evaluator's across episodes, without ids).
    actStream: inOrder(act, (request: ActRequest) => ({ carried: [request.episodeId], finished: [] })),
    // Batches of steps of distinct episodes (1.3), whose steps may therefore run at once.
    actBatchStream: inOrder(
      async (batch: ActBatchRequest): Promise<ActBatchResponse> => ({ actions: await Promise.all(batch.steps.map(act)) }),
      (batch) => ({ carried: batch.steps.map((step) => step.episodeId), finished: batch.finishedEpisodeIds }),
    ),
    shutdown: unary(async () => {
      await agent.close?.();
      setImmediate(onClose);
      return {};
    }),
  };
};

/** A socket left behind by an earlier run would make bind fail; anything else at the path is not ours to remove. */
const removeStaleSocket = async (path: string): Promise<void> => {
  const stats = await lstat(path).catch(() => undefined);
  if (stats?.isSocket()) await unlink(path);
};

/** Serves `agent` on a Unix socket until Shutdown is called or stop() is. */
export const serveAgent = async (agent: Agent, options: ServeOptions): Promise<ServedAgent> => {
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const server = new Server({ 'grpc.max_receive_message_length': maxMessageBytes, 'grpc.max_send_message_length': maxMessageBytes });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => server.tryShutdown(() => resolve())).then(() => {
      resolveClosed();
    });
  server.addService(
    AgentServiceService,
    serviceOf(agent, () => void stop()),
  );
  await removeStaleSocket(options.socket);
  const address = `unix:${options.socket}`;
  await new Promise<void>((resolve, reject) => server.bindAsync(address, ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())));
  return { address, closed, stop };
};

/**
 * The entry point of a TypeScript agent process: `--socket PATH` (or $KINITRO_AGENT_SOCKET), serve until Shutdown,
 * then exit 0. SIGTERM stops the server too.
 */
export const serveAgentFromCommandLine = async (agent: Agent, argv: readonly string[] = process.argv.slice(2)): Promise<void> => {
  const { values } = parseArgs({
    args: [...argv],
    options: { socket: { type: 'string' }, 'max-message-bytes': { type: 'string' } },
    strict: true,
  });
  const socket = values.socket ?? process.env[AGENT_SOCKET_VARIABLE];
  if (!socket) throw new Error(`where to listen: pass --socket PATH or set ${AGENT_SOCKET_VARIABLE}`);
  const maxMessageBytes = values['max-message-bytes'] === undefined ? undefined : Number(values['max-message-bytes']);
  const served = await serveAgent(agent, { socket, ...(maxMessageBytes !== undefined && { maxMessageBytes }) });
  process.once('SIGTERM', () => void served.stop());
  await served.closed;
};
