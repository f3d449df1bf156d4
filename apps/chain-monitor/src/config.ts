import { z } from 'zod';
import { loadAppConfig, type Config } from '#platform';

/**
 * The chain monitor's own variables. They live in an app-level schema, not in the shared one, because no
 * other app reads them; the shared variables (NATS, namespace, replicas, log level) come from `loadConfig`.
 */
export const chainMonitorSchema = z.object({
  SUBTENSOR_WS_URL: z
    .string()
    .refine((v) => {
      try {
        return ['ws:', 'wss:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, 'must be a URL with protocol ws: or wss:')
    .default('ws://127.0.0.1:9944'),
  /** No default: watching the wrong subnet would look like a subnet where nobody commits. */
  NETUID: z
    .string({ error: 'is required: the subnet to watch' })
    .regex(/^\d{1,5}$/, 'must be a subnet number (0-65535)')
    .transform(Number)
    .refine((n) => n <= 65_535, 'must be a subnet number (0-65535)'),
  /** How long start-up waits for the node to answer before it gives up (after that, an outage is waited out). */
  SUBTENSOR_CONNECT_TIMEOUT_MS: z.coerce.number().int('must be an integer').min(100).max(600_000).default(30_000),
  /** A MetagraphSynced every so many blocks (and at start-up); it is also the monitor's resume marker. */
  METAGRAPH_SYNC_BLOCKS: z.coerce.number().int('must be an integer').min(1).max(100_000).default(100),
});

export type ChainMonitorConfig = Pick<Config, 'NATS_URL' | 'KINITRO_NAMESPACE' | 'KINITRO_STREAM_REPLICAS' | 'LOG_LEVEL'> &
  z.infer<typeof chainMonitorSchema>;

/** Every bad variable, shared or own, is named in one ConfigError so an operator fixes them in one go. */
export const loadChainMonitorConfig = (env: Record<string, string | undefined> = process.env): ChainMonitorConfig =>
  loadAppConfig(chainMonitorSchema, env);
