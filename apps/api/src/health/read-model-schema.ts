import type { Logger } from '@nestjs/common';
import { awaitReady, StartupError } from '#platform';
import { readModelMigrations } from '#read-models';
import type { DataSource } from 'typeorm';

/** How far the read-model schema is migrated, against the migrations this build knows. */
export interface SchemaVersion {
  schema: string;
  /** The last migration applied, null when none is. */
  applied: string | null;
  /** The last migration this build expects. */
  expected: string;
  current: boolean;
}

const EXPECTED = readModelMigrations.map((m) => new m().name ?? m.name);
const UNDEFINED_TABLE = '42P01';

/** Reads the migrations table of the schema; a schema the projector never migrated has none applied. */
export const schemaVersion = async (db: DataSource, schema: string): Promise<SchemaVersion> => {
  let names: string[] = [];
  try {
    const rows: { name: string }[] = await db.query(`SELECT name FROM "${schema}".read_model_migrations ORDER BY id`);
    names = rows.map((r) => r.name);
  } catch (error) {
    if ((error as { code?: string }).code !== UNDEFINED_TABLE) throw error;
  }
  const applied = new Set(names);
  return { schema, applied: names.at(-1) ?? null, expected: EXPECTED.at(-1)!, current: EXPECTED.every((name) => applied.has(name)) };
};

/**
 * Waits (bounded, logged) until the projector has migrated the schema. The projector owns the migrations: it is
 * the one writer of these tables, and an API that migrated during a rolling deploy could move the schema ahead of
 * the projector writing it. An API started first would otherwise answer every route with "relation does not exist".
 */
export const awaitSchema = (db: DataSource, schema: string, waitMs: number, logger: Pick<Logger, 'warn'>): Promise<SchemaVersion> =>
  awaitReady({
    waitMs,
    logger,
    check: async () => {
      const version = await schemaVersion(db, schema);
      return version.current
        ? { ready: true, value: version }
        : { ready: false, waitingFor: `the projector to migrate the read-model schema "${schema}" (applied: ${version.applied ?? 'none'}, expected: ${version.expected})` };
    },
    giveUp: (waitingFor) =>
      new StartupError(
        `gave up after ${waitMs} ms waiting for ${waitingFor}: start the projector, which migrates it, or check DATABASE_URL and DATABASE_SCHEMA (PROJECTOR_WAIT_MS sets the wait)`,
      ),
  });
