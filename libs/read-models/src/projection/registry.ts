import type { DataSource, QueryRunner } from 'typeorm';
import { assertSchemaName } from '../data-source.js';
import { CHECKPOINT_TABLE } from '../tables.js';
import { projections, type ProjectionDefinition } from './projections.js';

export type ProjectionState = 'live' | 'rebuilding';

export interface ProjectionStatus {
  name: string;
  /** The version whose fold built the tables being served. */
  version: number;
  /** The version the code folds with: a rebuild runs (or is due) when it differs from `version`. */
  codeVersion: number;
  state: ProjectionState;
  /** Last sequence the served tables reflect. */
  checkpoint: number;
  /** While rebuilding: the version being built and how far its shadow tables are. */
  rebuild: { version: number; checkpoint: number } | null;
}

type Db = DataSource | QueryRunner;

interface StoredRow {
  name: string;
  version: number;
  state: ProjectionState;
  rebuild_version: number | null;
  rebuild_sequence: string | null;
  last_sequence: string | null;
}

/**
 * Every projection of the code with what the schema stores of it. A projection the schema does not list yet (added
 * to the code since) is reported at version 0, so it is due for a rebuild.
 */
export const projectionStatuses = async (db: { query(sql: string): Promise<unknown[]> }, schema: string): Promise<ProjectionStatus[]> => {
  const s = assertSchemaName(schema);
  const rows = (await db.query(
    `SELECT p.name, p.version, p.state, p.rebuild_version, p.rebuild_sequence::text, c.last_sequence::text
       FROM "${s}".projections p LEFT JOIN "${s}".${CHECKPOINT_TABLE} c ON c.id = p.name`,
  )) as StoredRow[];
  const stored = new Map(rows.map((row) => [row.name, row]));
  return projections.map(({ name, version: codeVersion }) => {
    const row = stored.get(name);
    return {
      name,
      version: row?.version ?? 0,
      codeVersion,
      state: row?.state ?? 'live',
      checkpoint: Number(row?.last_sequence ?? 0),
      rebuild: row?.state === 'rebuilding' ? { version: row.rebuild_version!, checkpoint: Number(row.rebuild_sequence ?? 0) } : null,
    };
  });
};

/** The projections whose stored version is not the code's: the projector rebuilds them at start-up. */
export const staleProjections = async (db: Db, schema: string): Promise<ProjectionDefinition[]> => {
  const statuses = await projectionStatuses(db, schema);
  return projections.filter((p) => statuses.find((s) => s.name === p.name)!.version !== p.version);
};

/** Shown in the status while a rebuild runs; its own transaction, so readers see it at once. */
export const markRebuilding = async (db: Db, schema: string, rebuilt: readonly ProjectionDefinition[], sequence: number): Promise<void> => {
  const s = assertSchemaName(schema);
  await db.query(
    `INSERT INTO "${s}".projections AS p (name, version, state, rebuild_version, rebuild_sequence)
       SELECT n, 0, 'rebuilding', v, $3 FROM unnest($1::text[], $2::int[]) AS r(n, v)
     ON CONFLICT (name) DO UPDATE SET state = 'rebuilding', rebuild_version = EXCLUDED.rebuild_version,
       rebuild_sequence = EXCLUDED.rebuild_sequence, changed_at = now()`,
    [rebuilt.map((p) => p.name), rebuilt.map((p) => p.version), sequence],
  );
};

/**
 * Back to live: after a swap at the new version (in the swap's transaction), or after a failed rebuild at the
 * version still served (`swapped` false).
 */
export const markLive = async (db: Db, schema: string, rebuilt: readonly ProjectionDefinition[], swapped: boolean): Promise<void> => {
  const s = assertSchemaName(schema);
  await db.query(
    `INSERT INTO "${s}".projections AS p (name, version, state) SELECT n, v, 'live' FROM unnest($1::text[], $2::int[]) AS r(n, v)
     ON CONFLICT (name) DO UPDATE SET state = 'live', rebuild_version = NULL, rebuild_sequence = NULL, changed_at = now(),
       version = CASE WHEN $3 THEN EXCLUDED.version ELSE p.version END`,
    [rebuilt.map((p) => p.name), rebuilt.map((p) => p.version), swapped],
  );
};

/** Progress of a running rebuild, for the status (one small write per replay batch). */
export const recordRebuildProgress = async (db: Db, schema: string, rebuilt: readonly ProjectionDefinition[], sequence: number): Promise<void> => {
  const s = assertSchemaName(schema);
  await db.query(`UPDATE "${s}".projections SET rebuild_sequence = $2 WHERE name = ANY($1::text[]) AND state = 'rebuilding'`, [
    rebuilt.map((p) => p.name),
    sequence,
  ]);
};
