import { z } from 'zod';
import { envInt, envUrl, loadAppConfig, netuidVar, type Config } from '#platform';

/** About one day of 12-second blocks. */
export const DEFAULT_LOOKBACK_BLOCKS = 7200;
export const DEFAULT_LEASE_TTL_MS = 15_000;

/**
 * The chain monitor's own variables. They live in an app-level schema, not in the shared one, because no
 * other app reads them; the shared variables (NATS, namespace, replicas, log level) come from `loadConfig`.
 */
export const chainMonitorSchema = z.object({
  SUBTENSOR_WS_URL: envUrl(['ws:', 'wss:']).default('ws://127.0.0.1:9944'),
  /** No default: watching the wrong subnet would look like a subnet where nobody commits. */
  NETUID: netuidVar('the subnet to watch'),
  /** How long start-up waits for the node to answer before it gives up (after that, an outage is waited out). */
  SUBTENSOR_CONNECT_TIMEOUT_MS: envInt(100, 600_000).default(30_000),
  /** A MetagraphSynced every so many blocks (and at start-up); it is also the monitor's resume marker. */
  METAGRAPH_SYNC_BLOCKS: envInt(1, 100_000).default(100),
  /** First block to watch when the log holds nothing of the subnet yet; unset: the finalized head minus CHAIN_LOOKBACK_BLOCKS. */
  CHAIN_START_BLOCK: envInt(1, Number.MAX_SAFE_INTEGER).optional(),
  /** Without CHAIN_START_BLOCK, a first run starts this many blocks before the finalized head (7200 ≈ one day of 12 s blocks). */
  CHAIN_LOOKBACK_BLOCKS: envInt(0, Number.MAX_SAFE_INTEGER).default(DEFAULT_LOOKBACK_BLOCKS),
  /** How long a monitor that stopped renewing its lease keeps a standby from following the subnet. */
  CHAIN_MONITOR_LEASE_TTL_MS: envInt(300, 600_000).default(DEFAULT_LEASE_TTL_MS),
});

export type ChainMonitorConfig = Pick<
  Config,
  'NATS_URL' | 'KINITRO_NAMESPACE' | 'KINITRO_STREAM_REPLICAS' | 'LOG_LEVEL' | 'PROJECTOR_WAIT_MS' | 'HEALTH_HOST'
> &
  Partial<Pick<Config, 'HEALTH_PORT'>> &
  Omit<z.infer<typeof chainMonitorSchema>, Defaulted> &
  // Optional for a config built in code (a demo, a test); the environment's defaults are the DEFAULT_* above.
  Partial<Pick<z.infer<typeof chainMonitorSchema>, Defaulted>>;

type Defaulted = 'CHAIN_LOOKBACK_BLOCKS' | 'CHAIN_MONITOR_LEASE_TTL_MS';

/** One chain monitor per subnet and namespace: the key of its lease. */
export const chainMonitorKey = (netuid: number): string => `chain-monitor.${netuid}`;

/** Every bad variable, shared or own, is named in one ConfigError so an operator fixes them in one go. */
export const loadChainMonitorConfig = (env: Record<string, string | undefined> = process.env): ChainMonitorConfig => loadAppConfig(chainMonitorSchema, env);
