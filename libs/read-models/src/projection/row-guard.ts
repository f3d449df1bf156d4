import { getMetadataArgsStorage } from 'typeorm';
import { readModelEntities } from '../entities/index.js';

/** Why Postgres would refuse a value for a column, or undefined if it would take it. */
type Check = (value: unknown) => string | undefined;

const INT4 = 2 ** 31;
const INT8 = 2 ** 63;

/** pg sends strings through JSON: U+0000 cannot be stored in text and a lone surrogate is invalid JSON to Postgres. */
const badString = (value: string): string | undefined => {
  if (value.includes('\u0000')) return 'contains U+0000, which Postgres text cannot hold';
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) return 'contains a lone surrogate, which Postgres rejects';
  return undefined;
};

const checkString: Check = (value) => (typeof value === 'string' ? badString(value) : undefined);

const checkJson: Check = (value) => {
  if (typeof value === 'string') return badString(value);
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const problem = badString(key) ?? checkJson(inner);
    if (problem) return problem;
  }
  return undefined;
};

const checkInteger =
  (limit: number, type: string): Check =>
  (value) =>
    typeof value === 'number' && !(Number.isInteger(value) && value >= -limit && value < limit) ? `${value} is out of range for ${type}` : undefined;

const checksByType: Record<string, Check> = {
  integer: checkInteger(INT4, 'integer'),
  bigint: checkInteger(INT8, 'bigint'),
  text: checkString,
  uuid: checkString,
  numeric: checkString,
  jsonb: checkJson,
};

/** Per table, the checks of its columns (by column name), read from the entities: one definition of each column. */
const columnChecks = (): Map<string, [string, Check][]> => {
  const storage = getMetadataArgsStorage();
  const tables = new Map<string, [string, Check][]>();
  for (const entity of readModelEntities) {
    const table = storage.tables.find((t) => t.target === entity)!.name!;
    const checks = storage.columns
      .filter((c) => c.target === entity && checksByType[String(c.options.type)])
      .map((c): [string, Check] => [c.options.name ?? c.propertyName, checksByType[String(c.options.type)]!]);
    tables.set(table, checks);
  }
  return tables;
};

const checks = columnChecks();

/**
 * Why Postgres would refuse this row ("column: reason"), or undefined; `before` is the row it replaces, whose
 * values need no second look (in a replay most columns of a changed row are the ones it had). Foreseeing the
 * refusal per event keeps the decision independent of how events are batched: a bad value overwritten later in
 * the same batch would never reach Postgres, so only this check rejects it the same way live (small batches) and
 * in a replay (large ones).
 */
export const rowProblem = (table: string, row: object, before?: object): string | undefined => {
  for (const [column, check] of checks.get(table) ?? []) {
    const value = (row as Record<string, unknown>)[column];
    // A value the row already held (the very string, the very object) passed when it came in, or came from Postgres.
    if (before && value === (before as Record<string, unknown>)[column]) continue;
    const problem = check(value);
    if (problem) return `${table}.${column}: ${problem}`;
  }
  return undefined;
};
