import { UsageError, type FlagSpecs } from '../args.js';
import { Failure } from '../command.js';

/** Where the platform runs: the same variables the apps read, so an operator's shell that starts them also inspects them. */
export const natsFlags = {
  'nats-url': { kind: 'value', env: 'NATS_URL', default: 'nats://127.0.0.1:4222', description: 'NATS server' },
  namespace: { kind: 'value', env: 'KINITRO_NAMESPACE', default: 'kinitro', description: 'namespace of the streams' },
} satisfies FlagSpecs;

export const databaseFlags = {
  'database-url': { kind: 'value', env: 'DATABASE_URL', default: 'postgres://postgres@127.0.0.1:5432/postgres', description: 'Postgres of the read models' },
  schema: { kind: 'value', env: 'DATABASE_SCHEMA', default: 'kinitro', description: 'read-model schema' },
} satisfies FlagSpecs;

const NAME = /^[a-z][a-z0-9_]{0,47}$/;

/** A namespace or schema flag: what the apps accept, so a typo is a usage error before anything is touched. */
export const nameFlag = (flag: string, value: string): string => {
  if (!NAME.test(value)) throw new UsageError(`--${flag} "${value}" must match [a-z][a-z0-9_]{0,47}`);
  return value;
};

/** Connects to NATS for one command, closing the connection whatever happens; unreachable NATS is a Failure naming it. */
export const withNats = async <T>(natsUrl: string, run: (nats: import('#eventing').JetStreamConnection) => Promise<T>): Promise<T> => {
  const { connect } = await import('#eventing');
  let nats: import('#eventing').JetStreamConnection;
  try {
    nats = await connect(natsUrl, 'kinitro-cli');
  } catch (error) {
    throw new Failure((error as Error).message);
  }
  try {
    return await run(nats);
  } finally {
    await nats.close();
  }
};

/** A Postgres client for one command. */
export const withPostgres = async <T>(databaseUrl: string, run: (client: import('pg').Client) => Promise<T>): Promise<T> => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Failure(`cannot reach Postgres at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message}): check DATABASE_URL`);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};
