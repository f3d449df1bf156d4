import { z } from 'zod';
import { envInt, loadAppConfig, producerOf, type Config } from '#platform';
import { objectStoreConfigPart, type ObjectStoreConfig } from '#storage';

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be "*" or origins like https://dashboard.example.org (scheme://host[:port], no path), comma-separated');

/** A comma-separated list of origins, or "*". */
const origins = z
  .string()
  .transform((list) =>
    list
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  )
  .pipe(z.array(z.union([z.literal('*'), origin])));

/** The API's own variables (README, Configuration): the HTTP edge, the WebSocket feed and history reads. */
export const apiSettingsSchema = z.object({
  /** Requests per client address per window, every route together. */
  API_RATE_LIMIT: envInt(1, 1_000_000).default(1200),
  API_RATE_LIMIT_WINDOW_S: envInt(1, 86_400).default(60),
  /** Failed admin authentications per client address per window; one more blocks the address, right key or not. */
  API_ADMIN_AUTH_FAILURES: envInt(1, 1_000_000).default(10),
  API_ADMIN_AUTH_WINDOW_S: envInt(1, 86_400).default(900),
  API_ADMIN_AUTH_BLOCK_S: envInt(1, 86_400).default(900),
  /** Origins a browser may call the API from; empty: same origin only. */
  API_CORS_ORIGINS: origins.default([]),
  /** Express "trust proxy": hops (a number) or addresses/subnets of the proxies, so limits key on the real client. */
  API_TRUST_PROXY: z
    .string()
    .transform((value) => (/^\d+$/.test(value) ? Number(value) : value))
    .pipe(z.union([z.int().min(0).max(16), z.string().regex(/^[0-9A-Za-z.:/, ]+$/, 'must be a hop count or proxy addresses/subnets')]))
    .optional(),
  API_BODY_LIMIT_BYTES: envInt(1024, 10_000_000).default(100_000),
  /** Nesting of arrays and objects in a JSON body; checked before the body is transformed. */
  API_BODY_MAX_DEPTH: envInt(2, 256).default(16),
  /** Largest WebSocket frame a client may send; a larger one closes the socket (1009). */
  WS_MAX_PAYLOAD_BYTES: envInt(256, 16 * 1024 * 1024).default(64 * 1024),
  /** Origins a browser may open `/ws` from; `*` allows any. Clients sending no Origin are not browsers and pass. */
  WS_ALLOWED_ORIGINS: origins.default(['*']),
  /** Subscribe requests one socket may make over its life (each may start a history replay). */
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: envInt(1, 1_000_000).default(100),
  /** Subscriptions one socket may hold at once (each has its own id). */
  WS_MAX_ACTIVE_SUBSCRIPTIONS: envInt(1, 10_000).default(32),
  /** How often the server pings each socket (WebSocket ping frames). */
  WS_PING_INTERVAL_MS: envInt(100, 3_600_000).default(25_000),
  /** A socket that sends nothing, not even a pong, for this long is dropped as dead. */
  WS_IDLE_TIMEOUT_MS: envInt(200, 7_200_000).default(60_000),
  /** History reads (an /events page, a WebSocket catch-up) one client may run at once. */
  EVENTS_MAX_REPLAYS_PER_CLIENT: envInt(1, 10_000).default(2),
  /** History reads the API runs at once, all clients together. */
  EVENTS_MAX_REPLAYS: envInt(1, 100_000).default(32),
  /** How long a presigned object URL (frames, trajectories) minted on read stays valid. */
  OBJECT_URL_TTL_S: envInt(1, 604_800).default(300),
});
export type ApiSettings = z.infer<typeof apiSettingsSchema>;

type SharedApiConfig = Pick<
  Config,
  | 'NATS_URL'
  | 'DATABASE_URL'
  | 'DATABASE_SCHEMA'
  | 'KINITRO_NAMESPACE'
  | 'KINITRO_STREAM_REPLICAS'
  | 'API_PORT'
  | 'API_HOST'
  | 'ADMIN_API_KEY_SHA256'
  | 'LOG_LEVEL'
  | 'PROJECTOR_WAIT_MS'
>;

/**
 * What the API reads; a setting of its own left out takes its default (a caller passing the shared Config alone),
 * the object store included (libs/storage's OBJECT_STORE_* and S3_* variables: the filesystem store in data/objects).
 */
export type ApiConfig = SharedApiConfig & Partial<ApiSettings> & { objectStore?: ObjectStoreConfig };

/** The shared variables, the API's own and the object store's, every bad one named in one ConfigError. main.ts starts from this. */
export const loadApiConfig = (env: Record<string, string | undefined> = process.env): SharedApiConfig & ApiSettings & { objectStore: ObjectStoreConfig } =>
  loadAppConfig(apiSettingsSchema, env, objectStoreConfigPart);

const defaults: ApiSettings = apiSettingsSchema.parse({});

/** The API's settings in effect: what the config gives, defaults for the rest. */
export const apiSettings = (config: ApiConfig): ApiSettings => {
  const given = Object.keys(apiSettingsSchema.shape).flatMap((key) => {
    const value = config[key as keyof ApiSettings];
    return value === undefined ? [] : [[key, value]];
  });
  return { ...defaults, ...(Object.fromEntries(given) as Partial<ApiSettings>) };
};

export const API_CONFIG = Symbol('API_CONFIG');

/** Written into every event the API appends. */
export const API_PRODUCER = producerOf('api');
