import type { DataSource, QueryRunner } from 'typeorm';
import { assertSchemaName } from '../data-source.js';
import { appendedTables, CHECKPOINT_ID, CHECKPOINT_TABLE, versionedTables } from '../tables.js';
import { rowKey, type BatchChanges, type LoadedRows } from './fold.js';
import type { LoadPlan } from './load-plan.js';
import type { AppendedTable, VersionedTable } from './rows.js';
import { cacheableTables, type RowCache } from './row-cache.js';
import { projectionNames } from './projections.js';

/**
 * What a lookup by `filters` (OR of column = ANY(values)) returns once the rows of `newer` are written: the rows
 * read, each replaced by its newer version (dropped if that no longer matches), and the newer rows that match.
 */
const withNewer = (
  table: VersionedTable,
  read: object[],
  newer: readonly object[],
  filters: readonly { column: string; values: (string | number)[] }[],
): object[] => {
  const wanted = filters.map(({ column, values }) => ({ column, values: new Set(values.map(String)) }));
  const matches = (row: object) => wanted.some(({ column, values }) => values.has(String((row as Record<string, unknown>)[column])));
  const rows = new Map(read.map((row) => [rowKey(table, row), row]));
  for (const row of newer) {
    if (matches(row)) rows.set(rowKey(table, row), row);
    else rows.delete(rowKey(table, row));
  }
  return [...rows.values()];
};

export interface RowWrites {
  upserts?: Partial<BatchChanges['upserts']>;
  inserts?: Partial<BatchChanges['inserts']>;
}

/** Rows per INSERT: one JSON parameter each, so only memory bounds it. */
const WRITE_CHUNK = 5000;

const chunks = <T>(rows: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

/**
 * SQL for the read models of one schema. Writes go through json_populate_recordset: one JSON parameter per
 * statement, typed by the table itself, which is both the fastest batched path in pg and free of column lists
 * that could drift from the migration.
 */
export class ReadModelStore {
  private readonly upsertSql = new Map<VersionedTable, string>();
  private readonly insertSql = new Map<AppendedTable, string>();

  constructor(
    dataSource: DataSource,
    readonly schema: string,
  ) {
    assertSchemaName(schema);
    for (const [table, key] of Object.entries(versionedTables) as [VersionedTable, readonly string[]][]) {
      const columns = dataSource.entityMetadatas.find((m) => m.tableName === table)!.columns.map((c) => c.databaseName);
      const set = columns.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
      this.upsertSql.set(
        table,
        `INSERT INTO ${this.table(table)} AS t SELECT * FROM json_populate_recordset(NULL::${this.table(table)}, $1::json) ` +
          `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')} WHERE t.last_sequence < EXCLUDED.last_sequence`,
      );
    }
    for (const table of Object.keys(appendedTables) as AppendedTable[]) {
      this.insertSql.set(
        table,
        `INSERT INTO ${this.table(table)} SELECT * FROM json_populate_recordset(NULL::${this.table(table)}, $1::json) ON CONFLICT DO NOTHING`,
      );
    }
  }

  /**
   * At most one query per table the plan names; rows the cache holds are not read again. `newer`: rows a batch not
   * yet committed leaves (see BatchApplier.applyAll), which stand in for what the tables hold of them.
   */
  async load(db: QueryRunner | DataSource, plan: LoadPlan, cache?: RowCache, newer?: LoadedRows): Promise<LoadedRows> {
    const loaded: Record<string, unknown[]> = {};
    for (const { table, filters } of plan.queries()) {
      const pending = newer?.[table];
      const rows: object[] = [];
      if (cacheableTables.has(table) && (cache || pending)) {
        const filter = filters[0]!;
        const ahead = pending && new Map<string, object>(pending.map((row) => [rowKey(table, row), row]));
        filter.values = filter.values.filter((value) => {
          const row = ahead?.get(String(value)) ?? cache?.get(table, String(value));
          if (row) rows.push(row);
          return !row;
        });
        if (filter.values.length === 0) {
          loaded[table] = rows;
          continue;
        }
      }
      const where = filters.map((f, i) => `${f.column} = ANY($${i + 1}::${f.arrayType})`).join(' OR ');
      const read = (await db.query(
        `SELECT * FROM ${this.table(table)} WHERE ${where}`,
        filters.map((f) => f.values),
      )) as object[];
      rows.push(...(pending && !cacheableTables.has(table) ? withNewer(table, read, pending, filters) : read));
      loaded[table] = rows;
    }
    return loaded;
  }

  /** Writes a batch's changes (or some rows); returns the number of rows sent. */
  async write(queryRunner: QueryRunner, changes: RowWrites): Promise<number> {
    let rows = 0;
    const send = async (sql: string, all: object[]) => {
      for (const chunk of chunks(all, WRITE_CHUNK)) {
        await queryRunner.query(sql, [JSON.stringify(chunk)]);
        rows += chunk.length;
      }
    };
    for (const [table, all] of Object.entries(changes.upserts ?? {}) as [VersionedTable, object[]][]) await send(this.upsertSql.get(table)!, all);
    for (const [table, all] of Object.entries(changes.inserts ?? {}) as [AppendedTable, object[]][]) await send(this.insertSql.get(table)!, all);
    return rows;
  }

  /** The last sequence applied (0 before the first batch). */
  async checkpoint(db: QueryRunner | DataSource): Promise<number> {
    const rows = (await db.query(`SELECT last_sequence FROM ${this.table(CHECKPOINT_TABLE)} WHERE id = $1`, [CHECKPOINT_ID])) as { last_sequence: string }[];
    return rows.length ? Number(rows[0]!.last_sequence) : 0;
  }

  /**
   * Identity of the tables behind the name: it changes when a replay swaps a rebuilt schema in, or a rebuilt
   * projection's tables (which marks the projection live again).
   */
  async generation(db: QueryRunner | DataSource): Promise<string | undefined> {
    const rows = (await db.query(
      `SELECT n.oid::text || '/' || coalesce((SELECT max(changed_at)::text FROM ${this.table('projections')}), '') AS generation
         FROM pg_namespace n WHERE n.nspname = $1`,
      [this.schema],
    )) as { generation: string }[];
    return rows[0]?.generation;
  }

  /**
   * Rows changed outside the in-order fold (a late one): moves the generation, so every applier of the schema drops
   * the rows it cached (it checks the generation under the lock, after this commits).
   */
  async touchGeneration(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE ${this.table('projections')} SET changed_at = clock_timestamp()`);
  }

  /**
   * Moves the schema-wide checkpoint and every projection's own one, in the caller's transaction (the batch's):
   * a batch folds every handler, so each projection's rows and checkpoint commit together.
   */
  async saveCheckpoint(queryRunner: QueryRunner, lastSequence: number, recordedAt: string): Promise<void> {
    await queryRunner.query(
      `INSERT INTO ${this.table(CHECKPOINT_TABLE)} AS t (id, last_sequence, updated_at) SELECT unnest($1::text[]), $2, $3 ` +
        `ON CONFLICT (id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence, updated_at = EXCLUDED.updated_at ` +
        `WHERE t.last_sequence < EXCLUDED.last_sequence`,
      [[CHECKPOINT_ID, ...projectionNames], lastSequence, recordedAt],
    );
  }

  private table(name: string): string {
    return `"${this.schema}".${name}`;
  }
}

/**
 * The advisory lock every writer of a schema's read models holds for the length of its transaction: the live
 * projector per batch, a replay while it applies the tail and swaps schemas.
 */
export const lockSchema = async (queryRunner: QueryRunner, schema: string): Promise<void> => {
  await queryRunner.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`kinitro-read-models:${assertSchemaName(schema)}`]);
};
