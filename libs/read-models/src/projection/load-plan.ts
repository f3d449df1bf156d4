import type { VersionedTable } from './rows.js';

/** Columns the projection selects existing rows by, with the Postgres array type of the parameter. */
export const lookupColumns = {
  competitions: { id: 'text[]' },
  submissions: { id: 'uuid[]' },
  jobs: { id: 'uuid[]' },
  /** By job, not by (job, validator): JobCancelled touches every validator's row of the job. */
  job_status: { job_id: 'uuid[]' },
  results: { evaluation_id: 'uuid[]' },
  episodes: { id: 'uuid[]' },
  episode_states: { episode_id: 'uuid[]' },
  /** By subnet as well: a snapshot deactivates the neurons it no longer lists. */
  validators: { hotkey: 'text[]', netuid: 'int[]' },
  api_keys: { key_id: 'uuid[]' },
} as const satisfies Record<VersionedTable, Record<string, string>>;

type LookupColumn<T extends VersionedTable> = keyof (typeof lookupColumns)[T] & string;

/** The rows a batch touches, gathered before any is read so each table costs one query. */
export class LoadPlan {
  private readonly wanted = new Map<VersionedTable, Map<string, Set<string | number>>>();

  add<T extends VersionedTable>(table: T, column: LookupColumn<T>, value: string | number): void {
    let columns = this.wanted.get(table);
    if (!columns) this.wanted.set(table, (columns = new Map<string, Set<string | number>>()));
    let values = columns.get(column);
    if (!values) columns.set(column, (values = new Set<string | number>()));
    values.add(value);
  }

  /** One entry per table: the OR of `column = ANY(values)` filters. */
  queries(): { table: VersionedTable; filters: { column: string; arrayType: string; values: (string | number)[] }[] }[] {
    return [...this.wanted].map(([table, columns]) => ({
      table,
      filters: [...columns].map(([column, values]) => ({
        column,
        arrayType: (lookupColumns[table] as Record<string, string>)[column]!,
        values: [...values],
      })),
    }));
  }
}
