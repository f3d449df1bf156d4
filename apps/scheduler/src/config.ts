import { z } from 'zod';
import { envInt, loadAppConfig, netuidVar, type Config } from '#platform';
import { hubOptionsFromEnv, type HfHubAdapterOptions } from '#storage';

/** Lease and snapshot settings, defaulted here for the environment and for callers that build a config in code. */
export const SCHEDULER_RUN_DEFAULTS = {
  SCHEDULER_LEASE_TTL_MS: 15_000,
  SCHEDULER_SNAPSHOT_EVERY_EVENTS: 10_000,
  SCHEDULER_SNAPSHOT_EVERY_MS: 60_000,
};

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
  /** How long a scheduler that stopped renewing its lease keeps a standby from taking over. */
  SCHEDULER_LEASE_TTL_MS: envInt(300, 600_000).default(SCHEDULER_RUN_DEFAULTS.SCHEDULER_LEASE_TTL_MS),
  /** A snapshot of the scheduler's state after this many handled events... */
  SCHEDULER_SNAPSHOT_EVERY_EVENTS: envInt(1, 10_000_000).default(SCHEDULER_RUN_DEFAULTS.SCHEDULER_SNAPSHOT_EVERY_EVENTS),
  /** ...or this long, whichever comes first. */
  SCHEDULER_SNAPSHOT_EVERY_MS: envInt(100, 86_400_000).default(SCHEDULER_RUN_DEFAULTS.SCHEDULER_SNAPSHOT_EVERY_MS),
});

export type SchedulerConfig = Pick<Config, 'NATS_URL' | 'KINITRO_NAMESPACE' | 'KINITRO_STREAM_REPLICAS' | 'LOG_LEVEL' | 'PROJECTOR_WAIT_MS' | 'HEALTH_HOST'> &
  Partial<Pick<Config, 'HEALTH_PORT'>> &
  Omit<z.infer<typeof schedulerSchema>, keyof typeof SCHEDULER_RUN_DEFAULTS> &
  Partial<Pick<z.infer<typeof schedulerSchema>, keyof typeof SCHEDULER_RUN_DEFAULTS>> & { hub: Pick<HfHubAdapterOptions, 'hubUrl' | 'token'> };

/** The lease and snapshot settings of `config`, defaults filled in. */
export const runSettings = (config: SchedulerConfig): typeof SCHEDULER_RUN_DEFAULTS => ({
  SCHEDULER_LEASE_TTL_MS: config.SCHEDULER_LEASE_TTL_MS ?? SCHEDULER_RUN_DEFAULTS.SCHEDULER_LEASE_TTL_MS,
  SCHEDULER_SNAPSHOT_EVERY_EVENTS: config.SCHEDULER_SNAPSHOT_EVERY_EVENTS ?? SCHEDULER_RUN_DEFAULTS.SCHEDULER_SNAPSHOT_EVERY_EVENTS,
  SCHEDULER_SNAPSHOT_EVERY_MS: config.SCHEDULER_SNAPSHOT_EVERY_MS ?? SCHEDULER_RUN_DEFAULTS.SCHEDULER_SNAPSHOT_EVERY_MS,
});

/** Every bad variable, shared, own or Hub, is named in one ConfigError. */
export const loadSchedulerConfig = (env: Record<string, string | undefined> = process.env): SchedulerConfig =>
  loadAppConfig(schedulerSchema, env, (e) => ({ hub: hubOptionsFromEnv(e) }));
