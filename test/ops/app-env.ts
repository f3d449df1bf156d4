import { loadApiConfig } from '../../apps/api/src/api-config.js';
import { loadChainMonitorConfig } from '../../apps/chain-monitor/src/config.js';
import { loadEvaluatorConfig } from '../../apps/evaluator/src/config.js';
import { loadSchedulerConfig } from '../../apps/scheduler/src/config.js';
import { loadValidatorConfig } from '../../apps/validator/src/config.js';
import { ConfigError, configSchema, loadConfig } from '#platform';

/** Each app's own configuration loader, the one its main.ts calls. */
export const APP_LOADERS = {
  api: loadApiConfig,
  projector: loadConfig,
  'chain-monitor': loadChainMonitorConfig,
  scheduler: loadSchedulerConfig,
  validator: loadValidatorConfig,
  evaluator: loadEvaluatorConfig,
} satisfies Record<string, (env: Record<string, string | undefined>) => unknown>;
export type AppName = keyof typeof APP_LOADERS;

export interface EnvVerdict {
  /** Variables the app never reads: a typo, or a setting of another app. */
  unknown: string[];
  /** What the app's loader refused (missing required, bad type), "VARIABLE: message". */
  problems: string[];
}

/**
 * Judges a deployment's environment for one app with the app's real loader: it must load (nothing required
 * missing, every value of its type), and every variable must be one the app reads. Which variables it reads is
 * observed, not listed: the shared schema's, plus every one the loader looks up by name (its own schema, the Hub's,
 * the object store's, the sandbox's, a keystore password variable it is told about).
 */
export const judgeEnv = (app: AppName, env: Record<string, string>): EnvVerdict => {
  const shared = new Set(Object.keys(configSchema.shape));
  const read = new Set<string>();
  // The shared loader enumerates the environment (and keeps only its schema's keys): it is shown only those, so an
  // enumeration cannot count as reading everything.
  const observed = new Proxy(env, {
    get: (target, key) => {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key);
    },
    ownKeys: (target) => Reflect.ownKeys(target).filter((k) => typeof k === 'string' && shared.has(k)),
    getOwnPropertyDescriptor: (target, key) => (typeof key === 'string' && shared.has(key) ? Reflect.getOwnPropertyDescriptor(target, key) : undefined),
  });
  const problems: string[] = [];
  try {
    APP_LOADERS[app](observed);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((p) => `${p.variable}: ${p.message}`));
  }
  const unknown = Object.keys(env).filter((v) => !shared.has(v) && !read.has(v));
  return { unknown, problems };
};
