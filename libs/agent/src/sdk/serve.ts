import { Server, ServerCredentials, status, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall, type StatusObject } from '@grpc/grpc-js';
import { lstat, unlink } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TensorError } from '../errors.js';
import { AgentServiceService, type ActRequest, type ActResponse, type AgentServiceServer } from '../generated/kinitro/agent/v1/agent.js';
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

/** What a TypeScript agent implements; only reset and act are required. */
export interface Agent {
  readonly name?: string;
  readonly version?: string;
  /** Observation keys wanted beyond `state`. */
  readonly wants?: readonly string[];
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

/** Adapts an Agent to the generated service: decode and check on the way in, encode and check on the way out. */
const serviceOf = (agent: Agent, onClose: () => void): AgentServiceServer => {
  const tasks = new Map<string, TaskSpaces>();
  let current: TaskSpaces | undefined;
  const unary =
    <Req, Res>(handle: (request: Req) => Promise<Res>) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      handle(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => callback(statusOf(error)),
      );
    };
  const act = async (request: ActRequest): Promise<ActResponse> => {
    const observation = refuseInvalid(() => {
      const decoded = decodeTensors(request.observation);
      if (current) checkTensors(decoded, current.observation);
      return decoded;
    });
    const action = toNamed(await agent.act(observation, request.step), current);
    if (current) checkTensors(action, current.action);
    return { action: encodeTensors(action) };
  };
  /** ActStream: the steps in order, one answer each; the first failure ends the stream with its status. */
  const actStream = (call: ServerDuplexStream<ActRequest, ActResponse>): void => {
    let steps = Promise.resolve();
    let failed = false;
    call.on('data', (request: ActRequest) => {
      steps = steps
        .then(async () => {
          if (!failed) call.write(await act(request));
        })
        .catch((error: unknown) => {
          failed = true;
          call.emit('error', statusOf(error));
        });
    });
    call.on('end', () => void steps.then(() => failed || call.end()));
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
      };
    }),
    reset: unary(async (request) => {
      current = tasks.get(request.task);
      if (!current && tasks.size > 0) throw new CallRefused(status.FAILED_PRECONDITION, `task ${request.task} was not announced in ping`);
      await agent.reset(request.seed, request.task, { benchmark: request.benchmark, episodeIndex: request.episodeIndex });
      return {};
    }),
    act: unary(act),
    actStream,
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
  server.addService(AgentServiceService, serviceOf(agent, () => void stop()));
  await removeStaleSocket(options.socket);
  const address = `unix:${options.socket}`;
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
  );
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
