import { type Config, producerOf } from '#platform';

/** What the API reads from the environment (see loadConfig in #platform). */
export type ApiConfig = Pick<
  Config,
  'NATS_URL' | 'DATABASE_URL' | 'DATABASE_SCHEMA' | 'KINITRO_NAMESPACE' | 'KINITRO_STREAM_REPLICAS' | 'API_PORT' | 'API_HOST' | 'ADMIN_API_KEY_SHA256' | 'LOG_LEVEL' | 'READ_MODELS_WAIT_MS'
>;

export const API_CONFIG = Symbol('API_CONFIG');

/** Written into every event the API appends. */
export const API_PRODUCER = producerOf('api');
