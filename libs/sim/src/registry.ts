import { AcrobotEnv } from './control/acrobot.js';
import { CartPoleEnv } from './control/cartpole.js';
import { MountainCarContinuousEnv } from './control/mountain-car-continuous.js';
import { PendulumEnv } from './control/pendulum.js';
import type { Env } from './core/env.js';
import { UnknownEnvironmentError } from './core/errors.js';
import type { SawyerXYZEnv } from './metaworld/sawyer-env.js';
import { METAWORLD_TASKS } from './metaworld/tasks/index.js';
import { ModelLibrary } from './mujoco/models.js';

/** Built-in control tasks: no assets, no WASM. */
export const CONTROL_TASKS: Readonly<Record<string, () => Env>> = {
  'CartPole-v1': () => new CartPoleEnv(),
  'Pendulum-v1': () => new PendulumEnv(),
  'MountainCarContinuous-v0': () => new MountainCarContinuousEnv(),
  'Acrobot-v1': () => new AcrobotEnv(),
};

/** MetaWorld's MT10 task list, in MetaWorld's order. */
export const MT10 = [
  'reach-v3',
  'push-v3',
  'pick-place-v3',
  'door-open-v3',
  'drawer-open-v3',
  'drawer-close-v3',
  'button-press-topdown-v3',
  'peg-insert-side-v3',
  'window-open-v3',
  'window-close-v3',
] as const;

/** MetaWorld's MT50 (all v3 tasks); the ones not yet ported are refused with a clear error. */
export const MT50 = [
  'assembly-v3',
  'basketball-v3',
  'bin-picking-v3',
  'box-close-v3',
  'button-press-topdown-v3',
  'button-press-topdown-wall-v3',
  'button-press-v3',
  'button-press-wall-v3',
  'coffee-button-v3',
  'coffee-pull-v3',
  'coffee-push-v3',
  'dial-turn-v3',
  'disassemble-v3',
  'door-close-v3',
  'door-lock-v3',
  'door-open-v3',
  'door-unlock-v3',
  'hand-insert-v3',
  'drawer-close-v3',
  'drawer-open-v3',
  'faucet-open-v3',
  'faucet-close-v3',
  'hammer-v3',
  'handle-press-side-v3',
  'handle-press-v3',
  'handle-pull-side-v3',
  'handle-pull-v3',
  'lever-pull-v3',
  'pick-place-wall-v3',
  'pick-out-of-hole-v3',
  'pick-place-v3',
  'plate-slide-v3',
  'plate-slide-side-v3',
  'plate-slide-back-v3',
  'plate-slide-back-side-v3',
  'peg-insert-side-v3',
  'peg-unplug-side-v3',
  'soccer-v3',
  'stick-push-v3',
  'stick-pull-v3',
  'push-v3',
  'push-wall-v3',
  'push-back-v3',
  'reach-v3',
  'reach-wall-v3',
  'shelf-place-v3',
  'sweep-into-v3',
  'sweep-v3',
  'window-open-v3',
  'window-close-v3',
] as const;

export type BenchmarkName = 'MT1' | 'MT10' | 'MT50';

/** Every environment name makeEnv accepts. */
export const environmentNames = (): string[] => [...Object.keys(CONTROL_TASKS), ...Object.keys(METAWORLD_TASKS)];

/**
 * The tasks of a benchmark: MT1 is one named MetaWorld task, MT10 the ten above, MT50 all fifty
 * (refused while some are not ported, naming them).
 */
export const benchmarkTasks = (benchmark: BenchmarkName, task?: string): string[] => {
  switch (benchmark) {
    case 'MT1': {
      if (!task || !(task in METAWORLD_TASKS)) {
        throw new UnknownEnvironmentError(task ?? '(none)', Object.keys(METAWORLD_TASKS));
      }
      return [task];
    }
    case 'MT10':
    case 'MT50': {
      const tasks: readonly string[] = benchmark === 'MT10' ? MT10 : MT50;
      const missing = tasks.filter((t) => !(t in METAWORLD_TASKS));
      if (missing.length > 0) {
        throw new UnknownEnvironmentError(`${benchmark} (not ported yet: ${missing.join(', ')})`, Object.keys(METAWORLD_TASKS));
      }
      return [...tasks];
    }
    default:
      throw new UnknownEnvironmentError(String(benchmark), ['MT1', 'MT10', 'MT50']);
  }
};

export interface MakeEnvOptions {
  /** MetaWorld assets folder; default from METAWORLD_ASSETS (see resolveAssetsDir). */
  readonly assetsDir?: string;
}

/** A MetaWorld task environment (gives access to the physics for rendering). */
export const makeMetaWorldEnv = async (name: string, options: MakeEnvOptions = {}): Promise<SawyerXYZEnv> => {
  const Task = METAWORLD_TASKS[name];
  if (!Task) throw new UnknownEnvironmentError(name, Object.keys(METAWORLD_TASKS));
  return new Task(await ModelLibrary.open(options.assetsDir));
};

/** Creates an environment by name; an unknown name lists the valid ones. */
export const makeEnv = async (name: string, options: MakeEnvOptions = {}): Promise<Env> => {
  const control = CONTROL_TASKS[name];
  if (control) return control();
  if (name in METAWORLD_TASKS) return makeMetaWorldEnv(name, options);
  throw new UnknownEnvironmentError(name, environmentNames());
};
