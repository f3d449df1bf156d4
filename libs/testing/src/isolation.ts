import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A namespace unique to one test file and run: streams, subjects, consumers and the Postgres schema all
 * derive from it, so files running in parallel on the shared services never see each other.
 */
export const testNamespace = (hint: string): string => {
  const slug =
    hint
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24) || 't';
  return `t_${slug}_${randomBytes(3).toString('hex')}`;
};

export const createSchema = async (databaseUrl: string, schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
};

/** Drops the schema and every schema a replay derived from it (`<schema>__…`). */
export const dropSchemas = async (databaseUrl: string, schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname = $1 OR nspname LIKE $2`, [
      schema,
      `${schema}\\_\\_%`,
    ]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
};
