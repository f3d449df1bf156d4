import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '#platform';
import { hubOptionsFromEnv, type HfHubAdapterOptions } from '#storage';

/**
 * The scheduler's own variables, next to the shared ones (NATS, namespace, replicas, log level) from `loadConfig`
 * and the Hub's (HF_ENDPOINT, HF_TOKEN) from `hubOptionsFromEnv`.
 */
export const schedulerSchema = z.object({
  /** No default: scheduling for the wrong subnet would reject every miner as unregistered. */
  NETUID: z
    .string({ error: 'is required: the subnet whose commitments become submissions' })
    .regex(/^\d{1,5}$/, 'must be a subnet number (0-65535)')
    .transform(Number)
    .refine((n) => n <= 65_535, 'must be a subnet number (0-65535)'),
  /** How often a quiet log is checked for passed job deadlines. */
  SCHEDULER_TICK_MS: z.coerce.number().int('must be an integer').min(50).max(3_600_000).default(5_000),
  /** How long one Hub request may take before the Hub counts as unavailable (the commitment is retried). */
  SCHEDULER_HUB_TIMEOUT_MS: z.coerce.number().int('must be an integer').min(100).max(120_000).default(15_000),
});

export type SchedulerConfig = Pick<Config, 'NATS_URL' | 'KINITRO_NAMESPACE' | 'KINITRO_STREAM_REPLICAS' | 'LOG_LEVEL'> &
  z.infer<typeof schedulerSchema> & { hub: Pick<HfHubAdapterOptions, 'hubUrl' | 'token'> };

/** Every bad variable, shared, own or Hub, is named in one ConfigError. */
export const loadSchedulerConfig = (env: Record<string, string | undefined> = process.env): SchedulerConfig => {
  const problems: ConfigError['problems'] = [];
  let shared: Config | undefined;
  try {
    shared = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const present = Object.fromEntries(Object.keys(schedulerSchema.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const own = schedulerSchema.safeParse(present);
  if (!own.success) problems.push(...own.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  let hub: SchedulerConfig['hub'] | undefined;
  try {
    hub = hubOptionsFromEnv(env);
  } catch (error) {
    const [variable, ...message] = (error as Error).message.split(': ');
    problems.push({ variable: variable!, message: message.join(': ') });
  }
  if (problems.length > 0 || !shared || !own.success || !hub) throw new ConfigError(problems);
  const { NATS_URL, KINITRO_NAMESPACE, KINITRO_STREAM_REPLICAS, LOG_LEVEL } = shared;
  return { NATS_URL, KINITRO_NAMESPACE, KINITRO_STREAM_REPLICAS, LOG_LEVEL, ...own.data, hub };
};
