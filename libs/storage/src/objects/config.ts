import { z } from 'zod';
import { ConfigError, type ConfigPart } from '#platform';
import { FsObjectStore } from './fs-store.js';
import type { ObjectStore } from './port.js';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3-store.js';

const httpUrl = z.string().refine((v) => {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

const bool = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

/** The object store's variables; the S3 ones are required only with OBJECT_STORE=s3. */
export const objectStoreSchema = z.object({
  OBJECT_STORE: z.enum(['fs', 's3'], { error: 'must be fs or s3' }).default('fs'),
  OBJECT_STORE_DIR: z.string().min(1).default('data/objects'),
  OBJECT_STORE_PUBLIC_URL: httpUrl.optional(),
  /** `http(s)://host[:port]`, or a bare `host[:port]` whose scheme S3_USE_SSL decides. */
  S3_ENDPOINT: z.string().min(1).optional(),
  S3_USE_SSL: bool.optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, 'must be a region name such as us-east-1')
    .default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 of a-z 0-9 . -)')
    .optional(),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_PATH_STYLE: bool.default(true),
  S3_CREATE_BUCKET: bool.default(false),
});

export type ObjectStoreConfig =
  { kind: 'fs'; dir: string; publicBaseUrl: string | undefined } | ({ kind: 's3' } & Omit<S3ObjectStoreOptions, 'spoolDir' | 'retries'>);

type Problems = ConfigError['problems'];

const s3Endpoint = (endpoint: string, useSSL: boolean | undefined, problems: Problems): string => {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) {
    const url = `${useSSL === false ? 'http' : 'https'}://${endpoint}`;
    if (!httpUrl.safeParse(url).success) problems.push({ variable: 'S3_ENDPOINT', message: 'must be an http(s) URL or host[:port]' });
    return url;
  }
  if (!httpUrl.safeParse(endpoint).success) problems.push({ variable: 'S3_ENDPOINT', message: 'must be an http(s) URL or host[:port]' });
  else if (useSSL !== undefined && useSSL !== endpoint.startsWith('https:'))
    problems.push({ variable: 'S3_USE_SSL', message: `contradicts the scheme of S3_ENDPOINT (${endpoint})` });
  return endpoint;
};

/** The object store's variables read and checked; a ConfigError names every bad one at once. */
export const objectStoreConfigFromEnv = (env: Record<string, string | undefined> = process.env): ObjectStoreConfig => {
  const present = Object.fromEntries(Object.keys(objectStoreSchema.shape).flatMap((key) => (env[key] ? [[key, env[key]]] : [])));
  const parsed = objectStoreSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  const c = parsed.data;
  if (c.OBJECT_STORE === 'fs') return { kind: 'fs', dir: c.OBJECT_STORE_DIR, publicBaseUrl: c.OBJECT_STORE_PUBLIC_URL };
  const problems: Problems = [];
  for (const variable of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) {
    if (c[variable] === undefined) problems.push({ variable, message: 'required with OBJECT_STORE=s3' });
  }
  const endpoint = c.S3_ENDPOINT === undefined ? '' : s3Endpoint(c.S3_ENDPOINT, c.S3_USE_SSL, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kind: 's3',
    endpoint,
    region: c.S3_REGION,
    bucket: c.S3_BUCKET!,
    accessKey: c.S3_ACCESS_KEY!,
    secretKey: c.S3_SECRET_KEY!,
    pathStyle: c.S3_PATH_STYLE,
    createBucket: c.S3_CREATE_BUCKET,
  };
};

/** For loadAppConfig's `extra`: the app's configuration gains `objectStore`. */
export const objectStoreConfigPart: ConfigPart<{ objectStore: ObjectStoreConfig }> = (env) => ({ objectStore: objectStoreConfigFromEnv(env) });

/** The configured adapter, not yet started (call start() once at start-up). */
export const createObjectStore = (config: ObjectStoreConfig): ObjectStore =>
  config.kind === 'fs'
    ? new FsObjectStore({ dir: config.dir, ...(config.publicBaseUrl && { publicBaseUrl: config.publicBaseUrl }) })
    : new S3ObjectStore(config);
