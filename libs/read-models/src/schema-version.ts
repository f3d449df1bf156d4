import type { DataSource } from 'typeorm';
import { readModelMigrations } from './migrations/index.js';

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
export const schemaVersion = async (db: Pick<DataSource, 'query'>, schema: string): Promise<SchemaVersion> => {
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
