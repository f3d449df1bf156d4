import type { Env, EpisodeOutcome } from '#sim';
import type { EpisodeTransition } from '../episode.js';
import { taskSpacesOf, type TaskSpaces } from '../tensor/spec.js';
import { AgentSession, type AgentSessionConfig, type SessionResult } from './agent-session.js';
import type { Verdict } from './verdict.js';

export interface PlannedEpisode {
  task: string;
  seed: number;
  episodeIndex: number;
}

export interface EpisodeResult extends PlannedEpisode {
  /** Present when the episode ran to its end. */
  outcome?: EpisodeOutcome;
  /** Present when it did not: how and whose fault. */
  verdict?: Verdict;
}

/**
 * Episodes in flight against one agent when the run does not say. Measured with the reach-v3 expert in bwrap on
 * the shared 2-core machine (test/bench/agent.bench.ts, docs/performance-notes.md): 4 was at least as fast as 2
 * in every run for both SDKs (Python 0.38–0.71x of in process vs 0.33–0.63x at 2 and 0.27–0.38x at 1; TypeScript
 * 0.57–0.71x vs 0.53–0.63x and 0.47–0.52x). The agent's own maximum still applies (default 1).
 */
export const DEFAULT_CONCURRENT_EPISODES = 4;

export interface EvaluationRun<E extends Env = Env> {
  /** Its maxConcurrentEpisodes, when unset, is DEFAULT_CONCURRENT_EPISODES. */
  config: AgentSessionConfig;
  benchmark: string;
  plan: readonly PlannedEpisode[];
  /** Truncates every episode after this many steps when smaller than the environment's own limit. */
  maxSteps?: number;
  /** Builds an environment of a task: one per task for the spaces, then one per episode running at once. */
  makeEnv: (task: string) => Promise<E>;
  onEpisode?: (result: EpisodeResult) => void;
  onStep?: (episode: PlannedEpisode, steps: number, env: E) => void;
  onTransition?: (episode: PlannedEpisode, transition: EpisodeTransition) => void;
}

export interface EvaluationResult {
  /** In the plan's order. */
  episodes: EpisodeResult[];
  /** The agent's end after the last episode, when that itself was a fault (refused Shutdown, crash on exit). */
  closeVerdict?: Verdict;
}

/** Idle environments per task, built on demand; closed when their task has no episode left, or at the end. */
class EnvPool<E extends Env> {
  private readonly idle = new Map<string, E[]>();
  private readonly all: E[] = [];

  constructor(private readonly make: (task: string) => Promise<E>) {}

  async take(task: string): Promise<E> {
    const env = this.idle.get(task)?.pop() ?? (await this.make(task));
    if (!this.all.includes(env)) this.all.push(env);
    return env;
  }

  give(task: string, env: E): void {
    this.idle.set(task, [...(this.idle.get(task) ?? []), env]);
  }

  /** Closes an environment no episode will need (with MT50, K per task of them would otherwise pile up). */
  retire(env: E): void {
    this.all.splice(this.all.indexOf(env), 1);
    env.close();
  }

  close(): void {
    for (const env of this.all) env.close();
  }
}

/**
 * Runs the plan's episodes in one session announcing every task, up to the session's concurrentEpisodes at once
 * (each on its own environment, so one episode's simulation runs while the agent works on another's step). An
 * episode's outcome does not depend on what ran beside it: the same plan gives the same outcomes at any
 * concurrency. The episode whose session fails gets the verdict and the next episodes start in a fresh session (a
 * fresh sandbox), so one bad episode costs one; when several were in flight, which one caused the failure is not
 * always knowable (a crash ends them all), so those run again afterwards one at a time, where a failure is the
 * episode's own.
 */
export const runEvaluation = async <E extends Env>(run: EvaluationRun<E>): Promise<EvaluationResult> => {
  const envs = new EnvPool(run.makeEnv);
  try {
    const tasks = [...new Set(run.plan.map((p) => p.task))];
    const spaces: TaskSpaces[] = [];
    for (const task of tasks) {
      const env = await envs.take(task);
      spaces.push(taskSpacesOf(task, env));
      envs.give(task, env);
    }
    const results: EpisodeResult[] = [];
    const pass = (indices: number[], maxConcurrentEpisodes: number) =>
      runPass({ run, envs, spaces, config: { ...run.config, maxConcurrentEpisodes }, indices, results });
    const first = await pass(
      run.plan.map((_, i) => i),
      run.config.maxConcurrentEpisodes ?? DEFAULT_CONCURRENT_EPISODES,
    );
    const again = first.suspects.length > 0 ? await pass(first.suspects, 1) : undefined;
    const closeVerdict = first.closeVerdict ?? again?.closeVerdict;
    return closeVerdict ? { episodes: results, closeVerdict } : { episodes: results };
  } finally {
    envs.close();
  }
};

interface Pass<E extends Env> {
  run: EvaluationRun<E>;
  envs: EnvPool<E>;
  spaces: readonly TaskSpaces[];
  config: AgentSessionConfig & { maxConcurrentEpisodes: number };
  /** Indices into the plan of the episodes to run. */
  indices: number[];
  /** Where each episode's result goes, by its index in the plan. */
  results: EpisodeResult[];
}

/**
 * Runs the episodes with up to config.maxConcurrentEpisodes at once, workers pulling from a queue (the session
 * itself admits only as many at once as it runs). Returns those in flight when a session failed under them.
 */
const runPass = async <E extends Env>({ run, envs, spaces, config, indices, results }: Pass<E>): Promise<{ suspects: number[]; closeVerdict?: Verdict }> => {
  const queue = [...indices];
  const suspects: number[] = [];
  let session: Promise<SessionResult<AgentSession>> | undefined;
  let running = 0;
  const record = (index: number, result: Omit<EpisodeResult, keyof PlannedEpisode>) => {
    results[index] = { ...run.plan[index]!, ...result };
    run.onEpisode?.(results[index]);
  };

  const runOne = async (index: number): Promise<void> => {
    const planned = run.plan[index]!;
    const opening = (session ??= AgentSession.open(config, spaces));
    const opened = await opening;
    if (!opened.ok) {
      // One failed start costs one episode; the others waiting on it try a fresh one.
      if (session === opening) {
        session = undefined;
        record(index, { verdict: opened.verdict });
      } else queue.unshift(index);
      return;
    }
    const env = await envs.take(planned.task);
    running++;
    const result = await opened.value.episode(env, {
      ...planned,
      benchmark: run.benchmark,
      ...(run.maxSteps !== undefined && { maxSteps: run.maxSteps }),
      onStep: (steps) => run.onStep?.(planned, steps, env),
      ...(run.onTransition && { onTransition: (transition: EpisodeTransition) => run.onTransition!(planned, transition) }),
    });
    const alone = running === 1;
    running--;
    if (queue.some((i) => run.plan[i]!.task === planned.task)) envs.give(planned.task, env);
    else envs.retire(env);
    if (result.ok) return record(index, { outcome: result.value });
    if (session === opening) session = undefined;
    if (!alone || result.interrupted) suspects.push(index);
    else record(index, { verdict: result.verdict });
  };
  const workers = Array.from({ length: config.maxConcurrentEpisodes }, async () => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) await runOne(index);
  });
  await Promise.all(workers);
  const open = session ? await session : undefined;
  const closed = open?.ok ? await open.value.close() : undefined;
  return closed?.verdict ? { suspects: suspects.sort((x, y) => x - y), closeVerdict: closed.verdict } : { suspects: suspects.sort((x, y) => x - y) };
};
