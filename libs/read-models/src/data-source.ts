import { DataSource } from 'typeorm';
import { readModelEntities } from './entities/index.js';
import { readModelMigrations } from './migrations/index.js';

export interface ReadModelDataSourceOptions {
  url: string;
  /** Postgres schema holding the tables: the live one, a test namespace or a replay schema. */
  schema: string;
  /** Pool size; the projector needs few connections, the API more. */
  poolSize?: number;
}

export interface OpenOptions extends ReadModelDataSourceOptions {
  /** Drop the schema first (a replay rebuilding from scratch). */
  fresh?: boolean;
}

const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export const assertSchemaName = (schema: string): string => {
  if (!SQL_IDENTIFIER.test(schema)) throw new Error(`schema "${schema}" must be a lowercase SQL identifier of at most 63 characters`);
  return schema;
};

/** A data source over the read-model tables of one schema. Not initialised; migrations are never run implicitly. */
export const createDataSource = ({ url, schema, poolSize = 4 }: ReadModelDataSourceOptions): DataSource =>
  new DataSource({
    type: 'postgres',
    url,
    schema: assertSchemaName(schema),
    entities: readModelEntities,
    migrations: readModelMigrations,
    migrationsTableName: 'read_model_migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    extra: { max: poolSize },
  });

/**
 * Initialises the data source, creates its schema if needed and applies pending migrations. The API and the
 * projector may start together: an advisory lock per schema lets one of them migrate while the other waits.
 */
export const openReadModels = async (options: OpenOptions): Promise<DataSource> => {
  const dataSource = createDataSource({ ...options, poolSize: Math.max(2, options.poolSize ?? 4) });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query(`SELECT pg_advisory_lock(hashtext($1))`, [`kinitro-migrations:${options.schema}`]);
    try {
      if (options.fresh) await lock.query(`DROP SCHEMA IF EXISTS "${options.schema}" CASCADE`);
      await lock.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await dataSource.runMigrations();
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`kinitro-migrations:${options.schema}`]);
    }
  } catch (error) {
    await lock.release();
    await dataSource.destroy();
    throw error;
  }
  await lock.release();
  return dataSource;
};
