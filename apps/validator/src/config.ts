import { z } from 'zod';
import type { HotkeySource } from '#chain';
import { ConfigError, envInt, loadAppConfig, type Config } from '#platform';
import { weightsConfigFromEnv, type WeightsConfig } from './weights/config.js';

/** The validator's own variables, next to the shared ones (NATS, namespace, replicas, log level, health) from `loadConfig`. */
export const validatorSchema = z.object({
  /** A secret URI (`//Alice`, a mnemonic, a `0x…` seed) of the validator's hotkey; or VALIDATOR_KEYSTORE. */
  VALIDATOR_HOTKEY_URI: z.string().min(1).optional(),
  /** A polkadot-js keystore or a Bittensor hotkey file; or VALIDATOR_HOTKEY_URI. */
  VALIDATOR_KEYSTORE: z.string().min(1).optional(),
  /** The name of the variable holding the keystore's password (the password itself never sits in the config). */
  VALIDATOR_KEYSTORE_PASSWORD_ENV: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable').optional(),
  /** Evaluations open at once; further jobs wait, oldest first. */
  VALIDATOR_MAX_EVALUATIONS: envInt(1, 1_000).default(4),
});

export type ValidatorConfig = Pick<Config, 'NATS_URL' | 'KINITRO_NAMESPACE' | 'KINITRO_STREAM_REPLICAS' | 'LOG_LEVEL' | 'PROJECTOR_WAIT_MS' | 'HEALTH_HOST'> &
  Partial<Pick<Config, 'HEALTH_PORT'>> &
  Pick<z.infer<typeof validatorSchema>, 'VALIDATOR_MAX_EVALUATIONS'> & { hotkey: HotkeySource; weights?: WeightsConfig };

/** Exactly one of VALIDATOR_HOTKEY_URI and VALIDATOR_KEYSTORE; a keystore password only ever comes from the variable it names. */
const hotkeySourceFromEnv = (env: Record<string, string | undefined>): { hotkey: HotkeySource } => {
  const uri = env.VALIDATOR_HOTKEY_URI || undefined;
  const keystoreFile = env.VALIDATOR_KEYSTORE || undefined;
  const passwordEnv = env.VALIDATOR_KEYSTORE_PASSWORD_ENV || undefined;
  const problem = (variable: string, message: string) => new ConfigError([{ variable, message }]);
  if (uri && keystoreFile) throw problem('VALIDATOR_HOTKEY_URI', 'give either VALIDATOR_HOTKEY_URI or VALIDATOR_KEYSTORE, not both');
  if (uri) {
    if (passwordEnv) throw problem('VALIDATOR_KEYSTORE_PASSWORD_ENV', 'only applies to VALIDATOR_KEYSTORE');
    return { hotkey: { uri } };
  }
  if (!keystoreFile) throw problem('VALIDATOR_HOTKEY_URI', 'is required (or VALIDATOR_KEYSTORE): the hotkey the validator appends under');
  if (passwordEnv && env[passwordEnv] === undefined) throw problem('VALIDATOR_KEYSTORE_PASSWORD_ENV', `names ${passwordEnv}, which is not set`);
  return { hotkey: { keystoreFile, password: passwordEnv ? env[passwordEnv] : undefined } };
};

/** Every bad variable, shared or own, is named in one ConfigError. */
export const loadValidatorConfig = (env: Record<string, string | undefined> = process.env): ValidatorConfig => {
  const { VALIDATOR_HOTKEY_URI: _uri, VALIDATOR_KEYSTORE: _keystore, VALIDATOR_KEYSTORE_PASSWORD_ENV: _passwordEnv, ...config } = loadAppConfig(validatorSchema, env, (e) => ({
    ...hotkeySourceFromEnv(e),
    ...weightsConfigFromEnv(e),
  }));
  return config;
};
