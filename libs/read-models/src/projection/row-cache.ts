import { versionedTables } from '../tables.js';
import { rowKey } from './fold.js';
import { lookupColumns } from './load-plan.js';
import type { VersionedRows, VersionedTable } from './rows.js';

/** Tables looked up by their primary key alone: a cached row answers the lookup exactly. */
export const cacheableTables: ReadonlySet<VersionedTable> = new Set(
  (Object.keys(versionedTables) as VersionedTable[]).filter(
    (table) => versionedTables[table].length === 1 && Object.keys(lookupColumns[table]).join() === versionedTables[table][0],
  ),
);

/**
 * Rows as the last committed batch left them, so the next batch need not read them back. Bounded, least
 * recently used out first. Only valid while nobody else writes the schema: the applier drops it whenever the
 * checkpoint is not the one it committed last.
 */
export class RowCache {
  private readonly rows = new Map<string, VersionedRows[VersionedTable]>();

  constructor(private readonly maxRows: number) {}

  get<T extends VersionedTable>(table: T, key: string): VersionedRows[T] | undefined {
    const id = `${table}/${key}`;
    const row = this.rows.get(id);
    if (row) {
      this.rows.delete(id);
      this.rows.set(id, row);
    }
    return row as VersionedRows[T] | undefined;
  }

  put<T extends VersionedTable>(table: T, rows: readonly VersionedRows[T][]): void {
    if (!cacheableTables.has(table)) return;
    for (const row of rows) {
      const id = `${table}/${rowKey(table, row)}`;
      this.rows.delete(id);
      this.rows.set(id, row);
    }
    for (const id of this.rows.keys()) {
      if (this.rows.size <= this.maxRows) break;
      this.rows.delete(id);
    }
  }

  clear(): void {
    this.rows.clear();
  }
}
