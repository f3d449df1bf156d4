import { makeEnv, type Env } from '#sim';

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
