import { hostname } from 'node:os';
import { z } from 'zod';
import { sandboxConfigSchema, type SandboxConfig } from '#agent';
import type { HotkeySource } from '#chain';
import { ConfigError, envInt, hotkeySourceFromEnv, loadAppConfig, type Config } from '#platform';
import { hubOptionsFromEnv, objectStoreConfigFromEnv, type HfHubAdapterOptions, type ObjectStoreConfig } from '#storage';

/**
 * The evaluator's own variables, next to the shared ones (NATS, namespace, replicas, log level, health), the Hub's
 * (HF_ENDPOINT, HF_TOKEN), the object store's (OBJECT_STORE*, S3_*) and the sandbox's (AGENT_SANDBOX*), and the hotkey
 * of the validator it works for: EVALUATOR_HOTKEY_URI, or EVALUATOR_KEYSTORE with EVALUATOR_KEYSTORE_PASSWORD_ENV (read as
 * the validator reads VALIDATOR_*). An evaluator belongs to one validator operator: it takes only that validator's work
 * and signs the episodes it records with that hotkey.
 */
export const evaluatorSchema = z.object({
  /** Who runs an episode, in EpisodeStarted and the heartbeats; `<hostname>/<pid>` when unset. */
  EVALUATOR_ID: z.string().min(1).max(200).optional(),
  /** Verified agent downloads, one directory per repo and revision. */
  AGENT_CACHE_DIR: z.string().min(1).default('data/agents'),
  /** Deliveries of a work item that fail for the infrastructure's sake before the episode is given up on. */
  EVALUATOR_MAX_ATTEMPTS: envInt(1, 100).default(3),
  /** How long a work item may go without a heartbeat before NATS hands it to another evaluator. */
  EVALUATOR_ACK_WAIT_MS: envInt(1_000, 3_600_000).default(60_000),
  /** An agent session with no work for this long is closed (the next item of its evaluation opens a fresh one). */
  EVALUATOR_SESSION_IDLE_MS: envInt(100, 3_600_000).default(30_000),
  /** How long one Hub request may take before the Hub counts as unavailable (the item is retried). */
  EVALUATOR_HUB_TIMEOUT_MS: envInt(100, 600_000).default(30_000),
  /** MetaWorld's assets folder (sawyer_xyz/, objects/, scene/); libs/sim's default when unset. */
  METAWORLD_ASSETS: z.string().min(1).optional(),
});

export type EvaluatorConfig = Pick<Config, 'NATS_URL' | 'KINITRO_NAMESPACE' | 'KINITRO_STREAM_REPLICAS' | 'LOG_LEVEL' | 'PROJECTOR_WAIT_MS' | 'HEALTH_HOST'> &
  Partial<Pick<Config, 'HEALTH_PORT'>> &
  Omit<z.infer<typeof evaluatorSchema>, 'EVALUATOR_ID'> & {
    EVALUATOR_ID: string;
    hub: Pick<HfHubAdapterOptions, 'hubUrl' | 'token'>;
    objectStore: ObjectStoreConfig;
    sandbox: SandboxConfig;
    hotkey: HotkeySource;
  };

const SANDBOX_VARIABLES = Object.keys(sandboxConfigSchema.shape) as (keyof SandboxConfig)[];

const sandboxFromEnv = (env: Record<string, string | undefined>): SandboxConfig => {
  const present = Object.fromEntries(SANDBOX_VARIABLES.flatMap((key) => (env[key] ? [[key, env[key]]] : [])));
  const parsed = sandboxConfigSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  return parsed.data;
};

/** Every bad variable, shared, own, Hub, object store or sandbox, is named in one ConfigError. */
export const loadEvaluatorConfig = (env: Record<string, string | undefined> = process.env): EvaluatorConfig => {
  const config = loadAppConfig(evaluatorSchema, env, (e) => {
    const problems: ConfigError['problems'] = [];
    const part = <T>(load: () => T): T | undefined => {
      try {
        return load();
      } catch (error) {
        if (error instanceof ConfigError) problems.push(...error.problems);
        else {
          const [variable, ...message] = String((error as Error).message).split(': ');
          problems.push({ variable: variable ?? '?', message: message.join(': ') });
        }
        return undefined;
      }
    };
    const hub = part(() => hubOptionsFromEnv(e));
    const objectStore = part(() => objectStoreConfigFromEnv(e));
    const sandbox = part(() => sandboxFromEnv(e));
    const hotkey = part(() => hotkeySourceFromEnv('EVALUATOR', 'the hotkey of the validator whose work it runs')(e));
    if (problems.length > 0) throw new ConfigError(problems);
    return { hub: hub!, objectStore: objectStore!, sandbox: sandbox!, ...hotkey! };
  });
  return { ...config, EVALUATOR_ID: config.EVALUATOR_ID ?? `${hostname()}/${process.pid}` };
};
