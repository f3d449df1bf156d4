import { makeEnv, type ActionInput, type Env, type ResetOptions, type ResetResult, type StepResult } from '#sim';

/**
 * One environment per task per process: MetaWorld's load the MuJoCo model (WASM memory, assets from disk) once.
 * Episodes run one at a time in an evaluator, and every episode starts with reset(seed), so sharing is safe.
 */
export class Environments {
  private readonly envs = new Map<string, Promise<Env>>();

  constructor(private readonly assetsDir: string | undefined) {}

  get(task: string): Promise<Env> {
    let env = this.envs.get(task);
    if (!env) {
      env = makeEnv(task, this.assetsDir === undefined ? {} : { assetsDir: this.assetsDir });
      // A task that cannot be made is not cached: the next item tries again (assets may be fixed meanwhile).
      env.catch(() => this.envs.delete(task));
      this.envs.set(task, env);
    }
    return env;
  }

  /** Every task's environment, in the order given. */
  all(tasks: readonly string[]): Promise<Map<string, Env>> {
    return Promise.all(tasks.map(async (task) => [task, await this.get(task)] as const)).then((entries) => new Map(entries));
  }

  async close(): Promise<void> {
    const envs = await Promise.allSettled(this.envs.values());
    this.envs.clear();
    for (const env of envs) if (env.status === 'fulfilled') env.value.close();
  }
}

/**
 * The job's step limit over the environment's own (Gymnasium's TimeLimit): the episode is truncated after
 * `maxSteps` steps unless the environment ended it first. It keeps the last step's result, whose terminated and
 * truncated EpisodeRecorded reports.
 */
export class StepLimitedEnv implements Env {
  readonly id: string;
  readonly observationSpace: Env['observationSpace'];
  readonly actionSpace: Env['actionSpace'];
  readonly maxEpisodeSteps: number;
  private steps = 0;
  last: StepResult | undefined;

  constructor(
    private readonly env: Env,
    maxSteps: number,
  ) {
    this.id = env.id;
    this.observationSpace = env.observationSpace;
    this.actionSpace = env.actionSpace;
    this.maxEpisodeSteps = Math.min(maxSteps, env.maxEpisodeSteps);
  }

  reset(options?: ResetOptions): ResetResult {
    this.steps = 0;
    this.last = undefined;
    return this.env.reset(options);
  }

  step(action: ActionInput): StepResult {
    const result = this.env.step(action);
    this.steps++;
    this.last = !result.terminated && !result.truncated && this.steps >= this.maxEpisodeSteps ? { ...result, truncated: true } : result;
    return this.last;
  }

  /** The environment is shared by every episode of its task in this process: it outlives this one. */
  close(): void {}
}
