import type { RecordedEvent } from '#contracts';
import { appendedTables, versionedTables } from '../tables.js';
import type { AppendedRows, AppendedTable, VersionedRows, VersionedTable } from './rows.js';

export const rowKey = (table: VersionedTable, row: object): string =>
  versionedTables[table].map((column) => String((row as Record<string, unknown>)[column])).join('|');

/** An event the projection could not apply (it names something no earlier event created). */
export interface RejectedEvent {
  event: RecordedEvent;
  reason: string;
}

/** Rows already in the tables, per table and key. */
export type LoadedRows = { [T in VersionedTable]?: VersionedRows[T][] };

/** What a batch writes: changed rows per versioned table (one per key), new rows per append-only table. */
export interface BatchChanges {
  upserts: { [T in VersionedTable]: VersionedRows[T][] };
  inserts: { [T in AppendedTable]: AppendedRows[T][] };
  rejected: RejectedEvent[];
}

/**
 * The in-memory state a batch folds into. Rows start as loaded; each event changes the rows it touches only if
 * it is newer than the row (`last_sequence`), which makes re-applying a batch a no-op.
 */
export class Fold {
  private readonly rows = new Map<VersionedTable, Map<string, VersionedRows[VersionedTable]>>();
  private readonly dirty = new Map<VersionedTable, Set<string>>();
  private readonly appended = new Map<AppendedTable, AppendedRows[AppendedTable][]>();
  private readonly rejected: RejectedEvent[] = [];

  constructor(loaded: LoadedRows) {
    for (const table of Object.keys(versionedTables) as VersionedTable[]) {
      this.rows.set(table, new Map((loaded[table] ?? []).map((row) => [rowKey(table, row), row])));
      this.dirty.set(table, new Set());
    }
    for (const table of Object.keys(appendedTables) as AppendedTable[]) this.appended.set(table, []);
  }

  get<T extends VersionedTable>(table: T, key: string): VersionedRows[T] | undefined {
    return this.table(table).get(key);
  }

  /** Rows of a table matching a predicate (loaded or written by this batch). */
  find<T extends VersionedTable>(table: T, predicate: (row: VersionedRows[T]) => boolean): VersionedRows[T][] {
    return [...this.table(table).values()].filter(predicate);
  }

  /**
   * Applies `change` to the row at `key` for the event at `sequence`, unless the row already reflects it.
   * `change` gets the current row (undefined if none) and returns the new one, or undefined to leave it.
   */
  upsert<T extends VersionedTable>(
    table: T,
    key: string,
    sequence: number,
    change: (current: NoInfer<VersionedRows[T]> | undefined) => NoInfer<Omit<VersionedRows[T], 'last_sequence'>> | undefined,
  ): boolean {
    const current = this.get(table, key);
    if (current && Number(current.last_sequence) >= sequence) return false;
    const next = change(current);
    if (!next) return false;
    this.table(table).set(key, { ...next, last_sequence: sequence } as VersionedRows[T]);
    this.dirty.get(table)!.add(key);
    return true;
  }

  append<T extends AppendedTable>(table: T, row: AppendedRows[T]): void {
    this.appended.get(table)!.push(row);
  }

  reject(event: RecordedEvent, reason: string): void {
    this.rejected.push({ event, reason });
  }

  changes(): BatchChanges {
    const upserts = Object.fromEntries(
      [...this.dirty].map(([table, keys]) => [table, [...keys].map((key) => this.table(table).get(key)!)]),
    ) as BatchChanges['upserts'];
    const inserts = Object.fromEntries(this.appended) as BatchChanges['inserts'];
    return { upserts, inserts, rejected: [...this.rejected] };
  }

  private table<T extends VersionedTable>(table: T): Map<string, VersionedRows[T]> {
    return this.rows.get(table) as Map<string, VersionedRows[T]>;
  }
}
