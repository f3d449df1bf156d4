import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentManifest } from '#domain';
import type { Env, EpisodeOutcome } from '#sim';
import { AgentClient, type AgentIdentity } from '../client/client.js';
import { runAgentEpisode, type AgentEpisodeParams } from '../episode.js';
import { AGENT_SOCKET_VARIABLE } from '../sdk/serve.js';
import { resolveLimits } from '../sandbox/limits.js';
import type { ProcessOutcome, Sandbox, SandboxedProcess, SandboxLimits } from '../sandbox/types.js';
import type { TaskSpaces } from '../tensor/spec.js';
import { runtimeLaunch, type RuntimeLayout } from './agent-runtime.js';
import { grantResources, type ResourceGrant } from './resource-grant.js';
import { AgentProcessEndedError, BudgetDeadlineError, signalsProcessGone, verdictOf, type Verdict } from './verdict.js';

export interface SessionDeadlinesMs {
  /** From start until the agent's socket answers. */
  connect: number;
  ping: number;
  reset: number;
  act: number;
  shutdown: number;
  /** One whole episode (Reset and every Act). */
  episode: number;
}

export const DEFAULT_SESSION_DEADLINES_MS: SessionDeadlinesMs = { connect: 30_000, ping: 10_000, reset: 5_000, act: 1_000, shutdown: 5_000, episode: 600_000 };

export interface AgentSessionConfig {
  sandbox: Sandbox;
  /** The agent's directory on the host (kinitro.json at its root). */
  agentDir: string;
  manifest: AgentManifest;
  layout: RuntimeLayout;
  deadlinesMs?: Partial<SessionDeadlinesMs>;
  /** The whole evaluation's end (epoch ms), shared by the fresh sessions that follow a failed one. */
  evaluationDeadlineAt?: number;
  /** The evaluator's limits over the sandbox's defaults: the maxima the manifest's `resources` are granted within. */
  limits?: Partial<SandboxLimits>;
  maxMessageBytes?: number;
  /** false: drive the steps through unary Act even when the agent serves ActStream (see AgentClientOptions). */
  actStream?: boolean;
  /** false: one ActStream per episode even when the agent serves ActBatchStream (see AgentClientOptions). */
  actBatch?: boolean;
  /** Batches of steps unanswered at once on ActBatchStream (see AgentClientOptions). */
  batchesInFlight?: number;
  /** The most episodes to run at once against the agent (it may accept fewer; see AgentClientOptions). Default 1. */
  maxConcurrentEpisodes?: number;
}

/** How long a process whose socket closed gets to be reported gone before it is killed. */
const EXIT_GRACE_MS = 2_000;

/**
 * A failure carries the session's verdict; `interrupted` when the failure was another episode's (running beside
 * this one, or before it started): this episode is not at fault and may run again in a fresh session.
 */
export type SessionResult<T> = { ok: true; value: T } | { ok: false; verdict: Verdict; interrupted?: true };

/** Rejects once the process ends; handled, since a session that ends normally never awaits it. */
const endOf = (process: SandboxedProcess, during: string): Promise<never> => {
  const ended = process.exited.then((): never => {
    throw new AgentProcessEndedError(during);
  });
  ended.catch(() => {});
  return ended;
};

/**
 * One agent process in the sandbox and the gRPC conversation with it: started and pinged by `open`, then
 * `episode`s (Reset, then Act until the episode ends), up to `concurrentEpisodes` at once (callers beyond wait
 * for a slot), `close` at the end. Every call is bounded by its deadline, every episode by the episode's and the
 * evaluation's; the first failure becomes a verdict, the sandbox is killed, and the session is over: the
 * episodes running beside it come back `interrupted`, and the caller opens a fresh session for the next.
 */
export class AgentSession {
  private failure: Promise<Verdict> | undefined;
  private running = 0;
  private readonly waitingForSlot: (() => void)[] = [];

  private constructor(
    private readonly process: SandboxedProcess,
    /** The connected client, for measurements (test/bench); calls made on it directly bypass the episode budget. */
    readonly client: AgentClient,
    private readonly socketDir: string,
    private readonly deadlines: SessionDeadlinesMs,
    private readonly evaluationDeadlineAt: number | undefined,
    readonly identity: AgentIdentity,
    /** The limits the agent runs under (its manifest's `resources` within the evaluator's) and what was cut. */
    readonly resources: ResourceGrant,
  ) {}

  /** Starts the agent, waits for its socket, and pings it with the tasks of the session. */
  static async open(config: AgentSessionConfig, tasks: readonly TaskSpaces[]): Promise<SessionResult<AgentSession>> {
    const deadlines = { ...DEFAULT_SESSION_DEADLINES_MS, ...config.deadlinesMs };
    const socketDir = await mkdtemp(join(tmpdir(), 'kinitro-session-'));
    await chmod(socketDir, 0o755);
    const launch = runtimeLaunch(config.manifest, config.layout);
    const socket = join(config.sandbox.pathsInside({ agentDir: config.agentDir, socketDir }).socketDir, 'agent.sock');
    let process: SandboxedProcess;
    let resources: ResourceGrant;
    try {
      resources = grantResources(config.manifest.resources, resolveLimits(config.sandbox.describe().defaultLimits, config.limits));
      process = await config.sandbox.start({
        command: launch.command,
        args: launch.args,
        agentDir: config.agentDir,
        socketDir,
        runtimeDirs: launch.runtimeDirs,
        env: { ...launch.env, [AGENT_SOCKET_VARIABLE]: socket },
        limits: resources.limits,
      });
    } catch (error) {
      await rm(socketDir, { recursive: true, force: true });
      return { ok: false, verdict: verdictOf({ error })! };
    }
    // The host sees the socket at its own path; the agent at the path inside the sandbox.
    const connecting = AgentClient.connect(`unix:${join(socketDir, 'agent.sock')}`, {
      connectTimeoutMs: deadlines.connect,
      deadlinesMs: deadlines,
      ...(config.maxMessageBytes && { maxMessageBytes: config.maxMessageBytes }),
      ...(config.actStream !== undefined && { actStream: config.actStream }),
      ...(config.actBatch !== undefined && { actBatch: config.actBatch }),
      ...(config.batchesInFlight !== undefined && { batchesInFlight: config.batchesInFlight }),
      ...(config.maxConcurrentEpisodes !== undefined && { maxConcurrentEpisodes: config.maxConcurrentEpisodes }),
    });
    try {
      const client = await Promise.race([connecting, endOf(process, 'start-up')]);
      const identity = await Promise.race([client.ping(tasks), endOf(process, 'ping')]);
      return { ok: true, value: new AgentSession(process, client, socketDir, deadlines, config.evaluationDeadlineAt, identity, resources) };
    } catch (error) {
      const outcome = await AgentSession.stop(process, 'start-up failed', error);
      // A connect still pending when the process ended settles later: close that channel too.
      connecting.then(
        (client) => client.dispose(),
        () => {},
      );
      await rm(socketDir, { recursive: true, force: true });
      return { ok: false, verdict: verdictOf({ error, outcome })! };
    }
  }

  /** How many episodes run at once (the smaller of what was asked and what the agent accepts). */
  get concurrentEpisodes(): number {
    return this.client.concurrentEpisodes;
  }

  /** Runs one episode on `env` (an env of its own while others run); a failure ends the session with its verdict. */
  async episode(env: Env, params: AgentEpisodeParams): Promise<SessionResult<EpisodeOutcome>> {
    await this.slot();
    try {
      return await this.runEpisode(env, params);
    } finally {
      this.running--;
      this.waitingForSlot.shift()?.();
    }
  }

  private async slot(): Promise<void> {
    while (this.running >= this.client.concurrentEpisodes) await new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
    this.running++;
  }

  private async runEpisode(env: Env, params: AgentEpisodeParams): Promise<SessionResult<EpisodeOutcome>> {
    if (this.failure) return { ok: false, verdict: await this.failure, interrupted: true };
    const budget = this.budget();
    if (budget.ms <= 0) return this.fail(new BudgetDeadlineError('evaluation', 0));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new BudgetDeadlineError(budget.label, budget.ms)), budget.ms)));
    const running = runAgentEpisode(env, this.client, params);
    running.catch(() => {}); // it loses the race when the budget passes; its late rejection is expected
    try {
      return { ok: true, value: await Promise.race([running, timeout, endOf(this.process, 'the episode')]) };
    } catch (error) {
      return this.fail(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Shutdown, then waits for the process to exit (up to the shutdown deadline, then kills it). Returns how it
   * ended and a verdict if the end itself was a fault (Shutdown refused, a crash on the way out).
   */
  async close(): Promise<{ outcome: ProcessOutcome; verdict?: Verdict }> {
    if (this.failure) return { outcome: await this.process.exited, verdict: await this.failure };
    let error: unknown;
    try {
      await Promise.race([this.client.shutdown(), this.process.exited.then(() => undefined)]);
    } catch (e) {
      error = e;
    }
    this.client.dispose();
    const timer = setTimeout(() => this.process.kill('did not exit after Shutdown'), this.deadlines.shutdown);
    const outcome = await this.process.exited;
    clearTimeout(timer);
    await rm(this.socketDir, { recursive: true, force: true });
    const verdict = verdictOf({ error, outcome: outcome.kind === 'killed' ? undefined : outcome });
    return verdict ? { outcome, verdict } : { outcome };
  }

  /** Kills the agent now (e.g. the evaluation was cancelled). */
  async kill(reason: string): Promise<ProcessOutcome> {
    this.client.dispose();
    const outcome = await AgentSession.stop(this.process, reason);
    await rm(this.socketDir, { recursive: true, force: true });
    return outcome;
  }

  private budget(): { ms: number; label: 'episode' | 'evaluation' } {
    const left = this.evaluationDeadlineAt === undefined ? Infinity : this.evaluationDeadlineAt - Date.now();
    return left < this.deadlines.episode ? { ms: Math.floor(left), label: 'evaluation' } : { ms: this.deadlines.episode, label: 'episode' };
  }

  /** The first failure is the session's: it kills the agent and is the verdict; later ones were caused by it. */
  private async fail(error: unknown): Promise<{ ok: false; verdict: Verdict; interrupted?: true }> {
    if (this.failure) return { ok: false, verdict: await this.failure, interrupted: true };
    this.failure = this.stopAfter(error);
    return { ok: false, verdict: await this.failure };
  }

  private async stopAfter(error: unknown): Promise<Verdict> {
    this.client.dispose();
    const outcome = await AgentSession.stop(this.process, `failed: ${error instanceof Error ? error.message : String(error)}`, error);
    await rm(this.socketDir, { recursive: true, force: true });
    return verdictOf({ error, outcome })!;
  }

  /** Kills the tree; after a symptom of its end, first lets it finish dying so its own exit code or signal is kept. */
  private static async stop(process: SandboxedProcess, reason: string, error?: unknown): Promise<ProcessOutcome> {
    if (signalsProcessGone(error)) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([process.exited, new Promise((done) => (timer = setTimeout(done, EXIT_GRACE_MS)))]);
      clearTimeout(timer);
    }
    process.kill(reason);
    return process.exited;
  }
}
