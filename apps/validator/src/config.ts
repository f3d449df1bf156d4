import { z } from 'zod';
import type { HotkeySource } from '#chain';
import { envInt, hotkeySourceFromEnv, loadAppConfig, type Config } from '#platform';
import { weightsConfigFromEnv, type WeightsConfig } from './weights/config.js';

/**
 * The validator's own variables, next to the shared ones (NATS, namespace, replicas, log level, health) from
 * `loadConfig`, and its hotkey: VALIDATOR_HOTKEY_URI (a secret URI: `//Alice`, a mnemonic, a `0x…` seed) or
 * VALIDATOR_KEYSTORE (a polkadot-js keystore or a Bittensor hotkey file) with VALIDATOR_KEYSTORE_PASSWORD_ENV.
 */
export const validatorSchema = z.object({
  /** Evaluations open at once; further jobs wait, oldest first. */
  VALIDATOR_MAX_EVALUATIONS: envInt(1, 1_000).default(4),
});

export type ValidatorConfig = Pick<Config, 'NATS_URL' | 'KINITRO_NAMESPACE' | 'KINITRO_STREAM_REPLICAS' | 'LOG_LEVEL' | 'PROJECTOR_WAIT_MS' | 'HEALTH_HOST'> &
  Partial<Pick<Config, 'HEALTH_PORT'>> &
  Pick<z.infer<typeof validatorSchema>, 'VALIDATOR_MAX_EVALUATIONS'> & { hotkey: HotkeySource; weights?: WeightsConfig };

/** Every bad variable, shared or own, is named in one ConfigError. */
export const loadValidatorConfig = (env: Record<string, string | undefined> = process.env): ValidatorConfig =>
  loadAppConfig(validatorSchema, env, (e) => ({
    ...hotkeySourceFromEnv('VALIDATOR', 'the hotkey the validator appends under')(e),
    ...weightsConfigFromEnv(e),
  }));
