import type { RecordedEvent } from '#contracts';
import { appendedTables, versionedTables } from '../tables.js';
import type { AppendedRows, AppendedTable, RejectedEventRow, VersionedRows, VersionedTable } from './rows.js';
import { rowProblem } from './row-guard.js';

export const rowKey = (table: VersionedTable, row: object): string =>
  versionedTables[table].map((column) => String((row as Record<string, unknown>)[column])).join('|');

/** An event the projection could not apply: it names something no earlier event created, or a column cannot hold a value of it. */
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
  private current: RecordedEvent | undefined;

  constructor(loaded: LoadedRows) {
    for (const table of Object.keys(versionedTables) as VersionedTable[]) {
      this.rows.set(table, new Map((loaded[table] ?? []).map((row) => [rowKey(table, row), row])));
      this.dirty.set(table, new Set());
    }
    for (const table of Object.keys(appendedTables) as AppendedTable[]) this.appended.set(table, []);
  }

  /** The event the next changes come from: a row it makes that Postgres would refuse rejects it. */
  begin(event: RecordedEvent): void {
    this.current = event;
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
   * `change` gets the current row (undefined if none) and returns the new one, or undefined to leave it; a new
   * row is its own (the fold sets its last_sequence), not one shared with anything else.
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
    if (!next || this.refused(table, next, current)) return false;
    // A row `change` made itself takes its sequence in place (one copy of the row per event, not two); the
    // current row itself, returned unchanged, is copied (it may be a loaded or cached one).
    const row = (next === current ? { ...next } : next) as VersionedRows[T];
    row.last_sequence = sequence;
    this.table(table).set(key, row);
    this.dirty.get(table)!.add(key);
    return true;
  }

  append<T extends AppendedTable>(table: T, row: AppendedRows[T]): void {
    if (!this.refused(table, row)) this.appended.get(table)!.push(row);
  }

  /** Recorded in `rejected_events` with the batch; an event is recorded once, with its first reason. */
  reject(event: RecordedEvent, reason: string): void {
    if (this.rejected.at(-1)?.event === event) return;
    this.rejected.push({ event, reason });
    this.appended.get('rejected_events')!.push(rejectedEventRow(event, reason));
  }

  private refused(table: VersionedTable | AppendedTable, row: object, before?: object): boolean {
    const problem = rowProblem(table, row, before);
    if (problem && this.current) this.reject(this.current, problem);
    return problem !== undefined;
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

export const rejectedEventRow = (event: RecordedEvent, reason: string): RejectedEventRow => ({
  stream_sequence: event.streamSequence,
  event_id: event.eventId,
  type: event.type,
  aggregate: event.aggregate,
  aggregate_id: event.aggregateId,
  reason,
  recorded_at: event.recordedAt,
});
