import { z } from 'zod';
import { type Config, producerOf } from '#platform';

const count = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** The API's own variables (loaded with loadAppConfig); each is in the README's Configuration table. */
export const apiConfigSchema = z.object({
  /** Largest WebSocket frame a client may send; a larger one closes the socket (1009). */
  WS_MAX_PAYLOAD_BYTES: count(256, 16 * 1024 * 1024, 64 * 1024),
  /** Comma-separated origins a browser may open `/ws` from; `*` allows any. Clients sending no Origin are not browsers and pass. */
  WS_ALLOWED_ORIGINS: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .default(['*']),
  /** Subscribe requests one socket may make over its life (each may start a history replay). */
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: count(1, 1_000_000, 100),
  /** History reads (an /events page, a WebSocket catch-up) one client may run at once. */
  EVENTS_MAX_REPLAYS_PER_CLIENT: count(1, 10_000, 2),
  /** History reads the API runs at once, all clients together. */
  EVENTS_MAX_REPLAYS: count(1, 100_000, 32),
});
export type ApiLimits = z.infer<typeof apiConfigSchema>;

/** What the API reads from the environment; the limits take their defaults when absent (tests build this by hand). */
export type ApiConfig = Pick<
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
  | 'READ_MODELS_WAIT_MS'
> &
  Partial<ApiLimits>;

export const apiLimits = (config: ApiConfig): ApiLimits => {
  const defaults = apiConfigSchema.parse({});
  return Object.fromEntries(Object.entries(defaults).map(([key, value]) => [key, config[key as keyof ApiLimits] ?? value])) as ApiLimits;
};

export const API_CONFIG = Symbol('API_CONFIG');

/** Written into every event the API appends. */
export const API_PRODUCER = producerOf('api');
