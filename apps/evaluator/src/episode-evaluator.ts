import type { LoggerService } from '@nestjs/common';
import {
  AgentSession,
  EpisodeRecorder,
  taskSpacesOf,
  type RetryPolicy,
  type RuntimeLayout,
  type Sandbox,
  type SandboxLimits,
  type SessionDeadlinesMs,
  type Verdict,
} from '#agent';
import { deriveId, newEvent, sanitizeText, STDERR_TAIL_MAX_CHARS, type EpisodeWorkItem, type NewEvent, type RecordedEvent, type VerdictKind } from '#contracts';
import { evaluationDecider, isTerminal, type EvaluationState } from '#domain';
import { ConcurrencyError, RetryableError, type AggregatePosition, type EventStore, type MessageContext } from '#eventing';
import type { ObjectStore } from '#storage';
import { evaluationMetrics } from '#platform';
import type { ActivityBoard } from './activity-board.js';
import { AgentRepoError, type AgentCache } from './agent-cache.js';
import type { AgentSessions } from './agent-sessions.js';
import type { Environments } from './environments.js';
import type { EvaluationLog, EvaluationLogs, LogRef } from './evaluation-log.js';
import { isInfrastructureError } from './infrastructure-errors.js';

export interface EpisodeEvaluatorOptions {
  store: EventStore;
  objects: ObjectStore;
  agents: AgentCache;
  sessions: AgentSessions;
  envs: Environments;
  activity: ActivityBoard;
  /** This process's log of each evaluation, uploaded with every episode event it appends. */
  logs: EvaluationLogs;
  sandbox: Sandbox;
  layout: RuntimeLayout;
  /** How the recorder retries a failed object write before the attempt counts as failed; its default when omitted. */
  uploadRetry?: RetryPolicy;
  evaluatorId: string;
  /** Deliveries failing for the infrastructure's sake before the episode is failed with fault infrastructure. */
  maxAttempts: number;
  /** How often the ack timer is reset and the heartbeat written while an item is in hand. */
  heartbeatMs: number;
  deadlinesMs?: Partial<SessionDeadlinesMs>;
  logger: LoggerService;
}

/** Why an episode did not run to its end, as EpisodeFailed records it. */
interface Failure {
  verdict: VerdictKind;
  reason: string;
  stderrTail: string;
}

/** The item's keep-alive and, once its episode runs, its heartbeat in the activity bucket. */
interface Heartbeats {
  /** The episode began at `at` (epoch ms): heartbeats are written from now on. */
  running(at: number): void;
  step(steps: number): void;
  /** Stops both; deletes the heartbeat if one was written. */
  stop(): Promise<void>;
}

interface Skip {
  reason: string;
  /** Whether the whole evaluation is over, not just this episode. */
  evaluationOver: boolean;
}

/** An attempt whose episode ran and was recorded, or ended in a verdict (the agent's or ours). */
type Attempt = { kind: 'recorded' } | { kind: 'verdict'; verdict: Verdict };

/** The episode has its final event: EpisodeRecorded or EpisodeFailed. */
const settled = (events: readonly RecordedEvent[]): RecordedEvent | undefined => events.find((e) => e.type === 'EpisodeRecorded' || e.type === 'EpisodeFailed');

const positionOf = (loaded: AggregatePosition): AggregatePosition => ({ version: loaded.version, lastSequence: loaded.lastSequence });

/**
 * The limits of a session, which serves every episode of its evaluation on this evaluator: its wall clock is the
 * evaluation's (until the deadline, plus a minute), not one process's default, and its CPU time grows with it so
 * that the sandbox's cores per second of wall clock (its cpuSeconds over wallSeconds) stay what they were.
 */
export const sessionLimits = (sandbox: Sandbox, deadline: string, now = Date.now()): Pick<SandboxLimits, 'wallSeconds' | 'cpuSeconds'> => {
  const { wallSeconds, cpuSeconds } = sandbox.describe().defaultLimits;
  const wall = Math.max(60, Math.ceil((Date.parse(deadline) - now) / 1000) + 60);
  return { wallSeconds: wall, cpuSeconds: Math.max(1, Math.ceil((wall * cpuSeconds) / wallSeconds)) };
};

/** How many times an append that keeps meeting other evaluators' events is tried again from a fresh load. */
const APPEND_ATTEMPTS = 5;

/**
 * Runs one episode work item: skips it when its evaluation or the episode is already over, records the attempt
 * (EpisodeStarted), runs the agent in its evaluation's session, uploads what the recorder saw and only then appends
 * EpisodeRecorded. The agent's faults end the episode (EpisodeFailed, fault miner); the infrastructure's are retried
 * (RetryableError: the runner naks with backoff) until the attempt budget, then end it with fault infrastructure.
 * Anything else is rethrown as is: never acked.
 */
export class EpisodeEvaluator {
  private stopping = false;

  constructor(private readonly options: EpisodeEvaluatorOptions) {}

  /** From now on, an item in hand is handed back (nak) instead of being recorded or failed. */
  stop(): void {
    this.stopping = true;
  }

  async handle(item: EpisodeWorkItem, ctx: MessageContext): Promise<void> {
    const beats = this.heartbeats(item, ctx);
    try {
      await this.run(item, ctx, beats);
    } finally {
      await beats.stop();
    }
  }

  private async run(item: EpisodeWorkItem, ctx: MessageContext, beats: Heartbeats): Promise<void> {
    const attempt = ctx.deliveryCount;
    const log = this.options.logs.of(item.evaluationId);
    log.note(
      'item',
      `episode ${item.episodeId}: ${item.task} #${item.episodeIndex}, seed ${item.seed}, slot ${item.slot}, delivery ${attempt}, deadline ${item.deadline}`,
    );
    let attempted: Attempt;
    try {
      const skip = await this.whyNotRun(item);
      if (skip) return await this.skip(item, skip, log);
      const started = await this.appendStarted(item, attempt);
      if (!started) return log.note('skip', `episode ${item.episodeId}: settled by another evaluator before it started here`);
      attempted = await this.attempt(item, ctx, started, beats, log);
      evaluationMetrics.episodeEnded(attempted);
    } catch (error) {
      log.note('error', `episode ${item.episodeId}: ${(error as Error).message}`);
      if (this.stopping) throw new RetryableError(`handed back at shutdown: ${(error as Error).message}`, { cause: error });
      if (error instanceof AgentRepoError) return this.fail(item, attempt, 'miner', { verdict: 'PROTOCOL', reason: error.message, stderrTail: '' }, log);
      if (isInfrastructureError(error))
        return this.infrastructure(item, attempt, { verdict: 'INTERNAL', reason: (error as Error).message, stderrTail: '' }, error, log);
      throw error;
    }
    if (attempted.kind === 'recorded') return;
    const { verdict } = attempted;
    const measured =
      verdict.measurements &&
      ` (wall ${verdict.measurements.wallSeconds} s, cpu ${verdict.measurements.cpuSeconds ?? '?'} s, peak memory ${verdict.measurements.peakMemoryBytes ?? '?'} B)`;
    log.note('verdict', `episode ${item.episodeId}: ${verdict.kind}, fault ${verdict.fault}: ${verdict.reason}${measured ?? ''}`);
    if (this.stopping) throw new RetryableError(`handed back at shutdown (the agent was stopped: ${verdict.reason})`);
    if (verdict.deadline === 'evaluation' || Date.now() >= Date.parse(item.deadline)) {
      // The job's deadline passed during the episode: the scheduler times the evaluation out; nobody to blame here.
      this.options.logger.warn?.(`episode ${item.episodeId} stopped at the evaluation's deadline ${item.deadline}: ${verdict.reason}`);
      return;
    }
    const failure = { verdict: verdict.kind, reason: verdict.reason, stderrTail: verdict.stderrTail };
    if (verdict.fault === 'agent') return this.fail(item, attempt, 'miner', failure, log);
    return this.infrastructure(item, attempt, failure, new Error(verdict.reason), log);
  }

  private async skip(item: EpisodeWorkItem, skip: Skip, log: EvaluationLog): Promise<void> {
    this.options.logger.log?.(`episode ${item.episodeId} (evaluation ${item.evaluationId}, slot ${item.slot}) skipped: ${skip.reason}`);
    log.note('skip', `episode ${item.episodeId}: ${skip.reason}`);
    if (!skip.evaluationOver) return;
    // Its evaluation will send no more work worth running: its agent need not wait for the idle timeout.
    this.options.logs.forget(item.evaluationId);
    await this.options.sessions.close(item.evaluationId, skip.reason);
  }

  /** Why the item is not worth running, or undefined to run it. */
  private async whyNotRun(item: EpisodeWorkItem): Promise<Skip | undefined> {
    const { store } = this.options;
    const [evaluation, job, episode] = await Promise.all([
      store.load('evaluation', item.evaluationId),
      store.load('job', item.jobId),
      store.load('episode', item.episodeId),
    ]);
    // JobTimedOut lives on the job's subject: folded in, it makes this validator's evaluation TIMEOUT.
    const history = [...evaluation.events, ...job.events.filter((e) => e.type === 'JobTimedOut')].sort((a, b) => a.streamSequence - b.streamSequence);
    const state = history.reduce<EvaluationState>((s, e) => evaluationDecider.evolve(s, e as never), evaluationDecider.initialState());
    if (isTerminal(state.status)) return { reason: `the evaluation is ${state.status}`, evaluationOver: true };
    if (job.events.some((e) => e.type === 'JobCancelled')) return { reason: 'the job was cancelled', evaluationOver: true };
    if (Date.parse(item.deadline) <= Date.now()) return { reason: `the evaluation is past its deadline ${item.deadline}`, evaluationOver: true };
    const final = settled(episode.events);
    if (final) return { reason: `the episode already has ${final.type}`, evaluationOver: false };
    return undefined;
  }

  private ref(item: EpisodeWorkItem) {
    const { episodeId, evaluationId, jobId, validator, task, episodeIndex, seed } = item;
    return { episodeId, evaluationId, jobId, validator, task, episodeIndex, seed };
  }

  /** EpisodeStarted for this attempt; the position after it, or undefined when another evaluator settled the episode meanwhile. */
  private async appendStarted(item: EpisodeWorkItem, attempt: number): Promise<AggregatePosition | undefined> {
    const event = newEvent('EpisodeStarted', { ...this.ref(item), evaluator: this.options.evaluatorId, attempt });
    const appended = await this.appendUnlessSettled(item, event);
    const last = appended?.at(-1);
    return last && { version: last.aggregateVersion, lastSequence: last.streamSequence };
  }

  /**
   * Appends to the episode at `expected` (or at its loaded position), again from a fresh load after a conflict;
   * undefined when the episode is (or became) settled, so it is recorded or failed exactly once.
   */
  private async appendUnlessSettled(item: EpisodeWorkItem, event: NewEvent, expected?: AggregatePosition): Promise<RecordedEvent[] | undefined> {
    const { store } = this.options;
    let position = expected;
    for (let tries = 1; ; tries++) {
      if (!position) {
        const loaded = await store.load('episode', item.episodeId);
        if (settled(loaded.events)) return undefined;
        position = positionOf(loaded);
      }
      try {
        return await store.append('episode', item.episodeId, [event], { expected: position });
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || tries >= APPEND_ATTEMPTS) throw error;
        position = undefined;
      }
    }
  }

  private async attempt(item: EpisodeWorkItem, ctx: MessageContext, startedAt: AggregatePosition, beats: Heartbeats, log: EvaluationLog): Promise<Attempt> {
    const { agents, envs, sessions, sandbox, layout, deadlinesMs, uploadRetry, objects } = this.options;
    const agent = await agents.get(item.repo, item.revision, item.maxRepoBytes);
    log.note(
      'agent',
      `${item.repo}@${item.revision}: ${agent.manifest.name} ${agent.manifest.version}, runtime ${agent.manifest.runtime ?? 'python3'}, entrypoint ${agent.manifest.entrypoint.command}`,
    );
    const all = await envs.all(item.benchmark.tasks);
    const env = all.get(item.task);
    if (!env) throw new Error(`task ${item.task} is not one of the benchmark's (${item.benchmark.tasks.join(', ')})`);
    const { task, seed, episodeIndex, benchmark } = item;
    const recorder = new EpisodeRecorder({
      env,
      task,
      seed,
      episodeIndex,
      maxSteps: benchmark.maxSteps,
      ...(benchmark.camera && { camera: benchmark.camera }),
    });
    let fresh = false;
    const opened = await sessions.acquire(item.evaluationId, () => {
      fresh = true;
      const { mode, isolated, enforces, warnings } = sandbox.describe();
      log.note(
        'sandbox',
        `${mode}${isolated ? '' : ' (not isolated)'}; enforces: ${enforces.join('; ')}${warnings.length ? `; not enforced: ${warnings.join('; ')}` : ''}`,
      );
      return AgentSession.open(
        {
          sandbox,
          agentDir: agent.dir,
          manifest: agent.manifest,
          layout,
          evaluationDeadlineAt: Date.parse(item.deadline),
          limits: sessionLimits(sandbox, item.deadline),
          ...(deadlinesMs && { deadlinesMs }),
        },
        [...all].map(([task, e]) => taskSpacesOf(task, e)),
      );
    });
    if (!opened.ok) return { kind: 'verdict', verdict: opened.verdict };
    if (fresh) {
      const { identity, resources } = opened.value;
      log.note(
        'session',
        `agent started: ${identity.name} ${identity.version}, protocol ${identity.protocolVersion}; limits in force: ${JSON.stringify(resources.limits)}`,
      );
      for (const note of resources.notes) {
        log.note('session', `resources: ${note}`);
        this.options.logger.warn?.(`agent ${item.repo}@${item.revision}: ${note}`);
      }
    } else log.note('session', 'agent session reused (Reset before the episode)');
    const began = Date.now();
    beats.running(began);
    const episode = await opened.value.episode(env, {
      task,
      seed,
      benchmark: benchmark.name,
      episodeIndex,
      maxSteps: benchmark.maxSteps,
      ...recorder.hooks,
      onStep: (steps) => beats.step(steps),
    });
    const durationMs = Date.now() - began;
    if (!episode.ok) {
      sessions.discard(item.evaluationId);
      return { kind: 'verdict', verdict: episode.verdict };
    }
    sessions.release(item.evaluationId);
    if (this.stopping) throw new RetryableError('handed back at shutdown, before recording');
    // Upload first, publish second: no event ever names a missing object.
    const outcome = episode.value;
    log.note(
      'episode',
      `episode ${item.episodeId}: ${outcome.steps} steps in ${durationMs} ms, reward ${outcome.totalReward}, success ${outcome.success}, terminated ${outcome.terminated}, truncated ${outcome.truncated}`,
    );
    const recorded = await recorder.upload(objects, uploadRetry && { retry: uploadRetry });
    log.note('upload', `trajectory ${recorded.trajectoryKey ?? 'none'}; frames ${recorded.frames.map((f) => `${f.camera} ${f.key}`).join(', ') || 'none'}`);
    log.note('event', `appending EpisodeRecorded for episode ${item.episodeId}`);
    const evaluatorLog = await log.upload(objects, uploadRetry);
    const event = newEvent(
      'EpisodeRecorded',
      {
        ...this.ref(item),
        steps: outcome.steps,
        totalReward: outcome.totalReward,
        success: outcome.success,
        terminated: outcome.terminated,
        truncated: outcome.truncated,
        durationMs,
        ...recorded,
        evaluator: this.options.evaluatorId,
        attempt: ctx.deliveryCount,
        evaluatorLog,
      },
      // One id per episode: two evaluators racing on the item publish the same message id, stored once.
      deriveId('EpisodeRecorded', item.episodeId),
    );
    const appended = await this.appendUnlessSettled(item, event, startedAt);
    if (!appended) {
      log.note('event', `episode ${item.episodeId} was settled by another evaluator meanwhile; ours is dropped`);
      this.options.logger.log?.(`episode ${item.episodeId} was settled by another evaluator meanwhile; ours is dropped`);
    }
    return { kind: 'recorded' };
  }

  /**
   * Keeps the item ours while it is in hand, from the first load to the last append (ctx.working() resets the ack
   * timer), and, once the episode runs,
   * writes its heartbeat to the activity bucket; the key is deleted when the episode ends. A heartbeat that
   * cannot be written is logged, not fatal: it is live state, the log is the truth.
   */
  private heartbeats(item: EpisodeWorkItem, ctx: MessageContext): Heartbeats {
    const { activity, evaluatorId, heartbeatMs, logger } = this.options;
    let startedAt: string | undefined;
    let step = 0;
    const beat = () => {
      if (startedAt === undefined) return;
      activity
        .beat({
          evaluationId: item.evaluationId,
          episodeId: item.episodeId,
          slot: item.slot,
          evaluator: evaluatorId,
          attempt: ctx.deliveryCount,
          step,
          maxSteps: item.benchmark.maxSteps,
          startedAt,
          heartbeatAt: new Date().toISOString(),
        })
        .catch((error: unknown) => void logger.warn?.(`cannot write the heartbeat of episode ${item.episodeId}: ${(error as Error).message}`));
    };
    const timer = setInterval(() => {
      ctx.working();
      beat();
    }, heartbeatMs);
    return {
      running: (at: number) => {
        startedAt = new Date(at).toISOString();
        beat();
      },
      step: (steps: number) => {
        step = steps;
      },
      stop: async () => {
        clearInterval(timer);
        if (startedAt === undefined) return;
        await activity
          .clear(item.evaluationId, item.slot)
          .catch((error: unknown) => void logger.warn?.(`cannot clear the heartbeat of episode ${item.episodeId}: ${(error as Error).message}`));
      },
    };
  }

  /** The infrastructure failed this attempt: retried with backoff, and on the last attempt the episode fails with fault infrastructure. */
  private async infrastructure(item: EpisodeWorkItem, attempt: number, failure: Failure, cause: unknown, log: EvaluationLog): Promise<void> {
    if (attempt < this.options.maxAttempts) {
      log.note('retry', `episode ${item.episodeId}: attempt ${attempt} of ${this.options.maxAttempts} failed (${failure.verdict}), handed back to the queue`);
      throw new RetryableError(`attempt ${attempt} of ${this.options.maxAttempts} failed: ${failure.reason}`, { cause });
    }
    await this.fail(item, attempt, 'infrastructure', { ...failure, reason: `gave up after ${attempt} attempts: ${failure.reason}` }, log);
  }

  /**
   * The log as an object for the event about to name it; none when it cannot be written: a store that is down must
   * not keep an episode from being failed (the event is the record, the log its commentary).
   */
  private async uploadLog(log: EvaluationLog, item: EpisodeWorkItem): Promise<LogRef | undefined> {
    try {
      return await log.upload(this.options.objects, this.options.uploadRetry);
    } catch (error) {
      this.options.logger.warn?.(`cannot write the evaluator log of evaluation ${item.evaluationId}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async fail(item: EpisodeWorkItem, attempt: number, fault: 'miner' | 'infrastructure', failure: Failure, log: EvaluationLog): Promise<void> {
    log.note('event', `appending EpisodeFailed for episode ${item.episodeId}: fault ${fault}, ${failure.verdict}: ${failure.reason}`);
    const evaluatorLog = await this.uploadLog(log, item);
    const event = newEvent(
      'EpisodeFailed',
      {
        ...this.ref(item),
        evaluator: this.options.evaluatorId,
        attempt,
        verdict: failure.verdict,
        fault,
        reason: sanitizeText(failure.reason, 1000),
        stderrTail: sanitizeText(failure.stderrTail, STDERR_TAIL_MAX_CHARS),
        ...(evaluatorLog && { evaluatorLog }),
      },
      deriveId('EpisodeFailed', item.episodeId),
    );
    const appended = await this.appendUnlessSettled(item, event);
    this.options.logger.log?.(`episode ${item.episodeId} failed (${fault}, ${failure.verdict}): ${failure.reason}${appended ? '' : ' [already settled]'}`);
  }
}
