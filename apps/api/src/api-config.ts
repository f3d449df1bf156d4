import { z } from 'zod';
import { loadAppConfig, type Config } from '#platform';

/** A whole decimal number of the environment within a range: "0x10", "1e3" and " 5" are refused, not read as numbers. */
const envInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a decimal integer')
    .transform(Number)
    .pipe(z.int().min(min).max(max));

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be "*" or origins like https://dashboard.example.org (scheme://host[:port], no path), comma-separated');

/** The HTTP edge's limits (README, Configuration). */
export const apiEdgeSchema = z.object({
  /** Requests per client address per window, every route together. */
  API_RATE_LIMIT: envInt(1, 1_000_000).default(1200),
  API_RATE_LIMIT_WINDOW_S: envInt(1, 86_400).default(60),
  /** Failed admin authentications per client address per window; one more blocks the address, right key or not. */
  API_ADMIN_AUTH_FAILURES: envInt(1, 1_000_000).default(10),
  API_ADMIN_AUTH_WINDOW_S: envInt(1, 86_400).default(900),
  API_ADMIN_AUTH_BLOCK_S: envInt(1, 86_400).default(900),
  /** Origins a browser may call the API from; empty: same origin only. */
  API_CORS_ORIGINS: z
    .string()
    .transform((list) => list.split(',').map((o) => o.trim()).filter((o) => o !== ''))
    .pipe(z.array(z.union([z.literal('*'), origin])))
    .default([]),
  /** Express "trust proxy": hops (a number) or addresses/subnets of the proxies, so limits key on the real client. */
  API_TRUST_PROXY: z
    .string()
    .transform((value) => (/^\d+$/.test(value) ? Number(value) : value))
    .pipe(z.union([z.int().min(0).max(16), z.string().regex(/^[0-9A-Za-z.:/, ]+$/, 'must be a hop count or proxy addresses/subnets')]))
    .optional(),
  API_BODY_LIMIT_BYTES: envInt(1024, 10_000_000).default(100_000),
  /** Nesting of arrays and objects in a JSON body; checked before the body is transformed. */
  API_BODY_MAX_DEPTH: envInt(2, 256).default(16),
});
export type ApiEdgeConfig = z.infer<typeof apiEdgeSchema>;

type SharedApiConfig = Pick<
  Config,
  'NATS_URL' | 'DATABASE_URL' | 'DATABASE_SCHEMA' | 'KINITRO_NAMESPACE' | 'API_PORT' | 'API_HOST' | 'ADMIN_API_KEY_SHA256' | 'LOG_LEVEL'
>;

/** What the API reads; an edge setting left out takes its default (a caller passing the shared Config alone). */
export type ApiConfig = SharedApiConfig & Partial<ApiEdgeConfig>;

/** The shared variables and the API's own, every bad one named in one ConfigError. main.ts should start from this. */
export const loadApiConfig = (env: Record<string, string | undefined> = process.env): SharedApiConfig & ApiEdgeConfig =>
  loadAppConfig(apiEdgeSchema, env);

const edgeDefaults: ApiEdgeConfig = apiEdgeSchema.parse({});

/** The edge settings in effect: what the config gives, defaults for the rest. */
export const edgeSettings = (config: ApiConfig): ApiEdgeConfig => {
  const given = Object.keys(apiEdgeSchema.shape).flatMap((key) => {
    const value = config[key as keyof ApiEdgeConfig];
    return value === undefined ? [] : [[key, value]];
  });
  return { ...edgeDefaults, ...Object.fromEntries(given) };
};

export const API_CONFIG = Symbol('API_CONFIG');

/** Written into every event the API appends. */
export const API_PRODUCER = { app: 'api', version: '0.1.0' } as const;
