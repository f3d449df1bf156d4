import { z } from 'zod';
import { ConfigError, envInt, envUrl, netuidVar } from '#platform';

/** The validator's weight-setting variables. Without NETUID the validator only evaluates. */
export const weightsSchema = z.object({
  NETUID: netuidVar('the subnet the validator sets weights on').optional(),
  SUBTENSOR_WS_URL: envUrl(['ws:', 'wss:']).default('ws://127.0.0.1:9944'),
  SUBTENSOR_CONNECT_TIMEOUT_MS: envInt(100, 600_000).default(30_000),
  /** Weights are set again this many blocks after the last attempt even when nothing new was scored. */
  WEIGHTS_INTERVAL_BLOCKS: envInt(1, 1_000_000).default(100),
  /** Share of every vector that goes to the burn uid (the owner's take), 0-1. */
  WEIGHTS_OWNER_SHARE: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a decimal between 0 and 1')
    .transform(Number)
    .default(0),
  /** Where the owner share and every undistributed share go. */
  WEIGHTS_BURN_UID: envInt(0, 65_535).default(0),
});

export interface WeightsConfig {
  netuid: number;
  subtensorUrl: string;
  connectTimeoutMs: number;
  intervalBlocks: number;
  ownerShare: number;
  burnUid: number;
}

/** The weight-setting part of the validator's config, or undefined when NETUID is not set; every bad variable is named. */
export const weightsConfigFromEnv = (env: Record<string, string | undefined>): { weights?: WeightsConfig } => {
  const present = Object.fromEntries(Object.keys(weightsSchema.shape).flatMap((key) => (env[key] ? [[key, env[key]]] : [])));
  const parsed = weightsSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  const c = parsed.data;
  if (c.NETUID === undefined) return {};
  return {
    weights: {
      netuid: c.NETUID,
      subtensorUrl: c.SUBTENSOR_WS_URL,
      connectTimeoutMs: c.SUBTENSOR_CONNECT_TIMEOUT_MS,
      intervalBlocks: c.WEIGHTS_INTERVAL_BLOCKS,
      ownerShare: c.WEIGHTS_OWNER_SHARE,
      burnUid: c.WEIGHTS_BURN_UID,
    },
  };
};
