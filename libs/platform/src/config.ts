import { z } from 'zod';

/** A configuration value that is missing or wrong. The message names the variable so operators can fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
  }
}

/** A URL variable with one of `protocols`. */
export const envUrl = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL with protocol ${protocols.join(' or ')}`,
  );

/**
 * A whole decimal number of the environment within a range, the one integer type of every app's variables:
 * "0x10", "1e3", "2.5" and " 5" are refused, not read as numbers.
 */
export const envInt = (min: number, max: number) => z.string().regex(/^\d+$/, 'must be a decimal integer').transform(Number).pipe(z.int().min(min).max(max));

/** NETUID, which has no default: the wrong subnet would look like one where nobody is registered or commits. */
export const netuidVar = (requiredBecause: string) =>
  z
    .string({ error: `is required: ${requiredBecause}` })
    .regex(/^\d{1,5}$/, 'must be a subnet number (0-65535)')
    .transform(Number)
    .refine((n) => n <= 65_535, 'must be a subnet number (0-65535)');

/** Variables every app may read. Each app picks the ones it needs with `loadConfig(pick)`. */
export const configSchema = z.object({
  NATS_URL: envUrl(['nats:', 'tls:', 'ws:', 'wss:']).default('nats://127.0.0.1:4222'),
  /** A file holding the NATS user's nkey seed (`SU…`, mode 0600): how a validator operator's apps authenticate. */
  NATS_NKEY_SEED_FILE: z.string().min(1).optional(),
  /** A NATS credentials file (user JWT + seed) for servers in operator mode; or NATS_NKEY_SEED_FILE, not both. */
  NATS_CREDS: z.string().min(1).optional(),
  /** Prefix of the connection's reply subjects: a restricted user may subscribe only under its own (`_INBOX_<hotkey>`). */
  NATS_INBOX_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be one subject token (letters, digits, _ and -; no ".", "*", ">" or spaces)')
    .optional(),
  DATABASE_URL: envUrl(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/postgres'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,47}$/, 'must be a lowercase SQL identifier')
    .default('kinitro'),
  KINITRO_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,47}$/, 'must match [a-z][a-z0-9_]{0,47}')
    .default('kinitro'),
  /** JetStream replicas for the streams: 1 on a single server, 3 in production clusters. */
  KINITRO_STREAM_REPLICAS: envInt(1, 5)
    .refine((n) => [1, 3, 5].includes(n), 'must be 1, 3 or 5')
    .default(1),
  API_PORT: envInt(0, 65535).default(3000),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** Every app but the API: port of /health/live, /health/ready and /metrics (unset: not served; the API has its own). */
  HEALTH_PORT: envInt(0, 65535).optional(),
  HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
  /** SHA-256 (hex) of the bootstrap admin key; further keys are issued through the API. */
  ADMIN_API_KEY_SHA256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be the 64-hex SHA-256 of the admin key')
    .optional(),
  PROJECTOR_BATCH_SIZE: envInt(1, 50_000).default(2000),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** `json`: one JSON object per line (pino), what deployments collect; `text`: Nest's console lines, for a terminal. */
  LOG_FORMAT: z.enum(['json', 'text']).default('text'),
  /** How long an app waits at start-up for what the projector prepares: the event streams, the read-model migrations. */
  PROJECTOR_WAIT_MS: envInt(0, 3_600_000).default(60_000),
  /** How long an app may take to stop after SIGINT/SIGTERM before it exits anyway (a second signal exits at once). */
  SHUTDOWN_TIMEOUT_MS: envInt(100, 600_000).default(10_000),
});
export type Config = z.infer<typeof configSchema>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  return parsed.data;
};

/** How an app authenticates to NATS and where its replies go (see the Configuration table): nothing set, no credentials. */
export interface NatsAccess {
  nkeySeedFile?: string;
  credsFile?: string;
  inboxPrefix?: string;
}

const natsAccessSchema = configSchema.pick({ NATS_NKEY_SEED_FILE: true, NATS_CREDS: true, NATS_INBOX_PREFIX: true });

/** NATS_NKEY_SEED_FILE or NATS_CREDS (not both) and NATS_INBOX_PREFIX; a bad value is a ConfigError naming it. */
export const loadNatsAccess = (env: Record<string, string | undefined> = process.env): NatsAccess => {
  const present = Object.fromEntries(Object.keys(natsAccessSchema.shape).flatMap((key) => (env[key] ? [[key, env[key]]] : [])));
  const parsed = natsAccessSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  const { NATS_NKEY_SEED_FILE: nkeySeedFile, NATS_CREDS: credsFile, NATS_INBOX_PREFIX: inboxPrefix } = parsed.data;
  if (nkeySeedFile && credsFile) throw new ConfigError([{ variable: 'NATS_CREDS', message: 'give either NATS_CREDS or NATS_NKEY_SEED_FILE, not both' }]);
  return { ...(nkeySeedFile && { nkeySeedFile }), ...(credsFile && { credsFile }), ...(inboxPrefix && { inboxPrefix }) };
};
