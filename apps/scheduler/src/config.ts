import { z } from 'zod';
import { envInt, loadAppConfig, netuidVar, type Config } from '#platform';
import { hubOptionsFromEnv, type HfHubAdapterOptions } from '#storage';

/**
 * The scheduler's own variables, next to the shared ones (NATS, namespace, replicas, log level) from `loadConfig`
 * and the Hub's (HF_ENDPOINT, HF_TOKEN) from `hubOptionsFromEnv`.
 */
export const schedulerSchema = z.object({
  /** No default: scheduling for the wrong subnet would reject every miner as unregistered. */
  NETUID: netuidVar('the subnet whose commitments become submissions'),
  /** How often a quiet log is checked for passed job deadlines. */
  SCHEDULER_TICK_MS: envInt(50, 3_600_000).default(5_000),
  /** How long one Hub request may take before the Hub counts as unavailable (the commitment is retried). */
  SCHEDULER_HUB_TIMEOUT_MS: envInt(100, 120_000).default(15_000),
});

export type SchedulerConfig = Pick<Config, 'NATS_URL' | 'KINITRO_NAMESPACE' | 'KINITRO_STREAM_REPLICAS' | 'LOG_LEVEL' | 'PROJECTOR_WAIT_MS' | 'HEALTH_HOST'> &
  Partial<Pick<Config, 'HEALTH_PORT'>> &
  z.infer<typeof schedulerSchema> & { hub: Pick<HfHubAdapterOptions, 'hubUrl' | 'token'> };

/** Every bad variable, shared, own or Hub, is named in one ConfigError. */
export const loadSchedulerConfig = (env: Record<string, string | undefined> = process.env): SchedulerConfig =>
  loadAppConfig(schedulerSchema, env, (e) => ({ hub: hubOptionsFromEnv(e) }));
