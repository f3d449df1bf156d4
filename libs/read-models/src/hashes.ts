import type { DataSource, QueryRunner } from 'typeorm';
import { assertSchemaName } from './data-source.js';
import { appendedTables, versionedTables } from './tables.js';

/** Every table a replay must reproduce, with the key that orders its rows. The checkpoint is not content. */
const hashedTables = Object.entries({ ...versionedTables, ...appendedTables });

export type TableHashes = Record<string, string>;

/** md5 of every row (as text, ordered by primary key) per table: equal hashes mean equal tables. */
export const tableHashes = async (db: DataSource | QueryRunner, schema: string): Promise<TableHashes> => {
  const s = assertSchemaName(schema);
  const parts = hashedTables.map(
    ([table, key]) => `SELECT '${table}' AS name, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY ${key.join(', ')}), '')) AS hash FROM "${s}".${table} t`,
  );
  const rows = (await db.query(parts.join(' UNION ALL '))) as { name: string; hash: string }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.hash]));
};
