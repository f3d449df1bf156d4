import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/** The projections as they stood when this migration was written (frozen: later ones add their own rows). */
const PROJECTIONS = ['competitions', 'submissions', 'jobs', 'results', 'validators', 'scores', 'commitments', 'api_keys', 'rejected_events'];

/**
 * Named, versioned projections: one checkpoint row per projection beside the schema-wide `projector` row (which
 * stays, as the sequence every table reflects), and a registry of each projection's fold version and whether it is
 * being rebuilt. Existing tables were folded by version 1 of every projection up to the single checkpoint, so each
 * projection starts there: nothing is applied twice or skipped.
 */
export class PerProjectionCheckpoints1764000000008 implements MigrationInterface {
  name = 'PerProjectionCheckpoints1764000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}.projections (
        name text PRIMARY KEY,
        version integer NOT NULL,
        state text NOT NULL CHECK (state IN ('live', 'rebuilding')),
        rebuild_version integer,
        rebuild_sequence bigint,
        changed_at timestamptz NOT NULL DEFAULT now()
      );
    `);
    await queryRunner.query(`INSERT INTO ${s}.projections (name, version, state) SELECT unnest($1::text[]), 1, 'live'`, [PROJECTIONS]);
    await queryRunner.query(
      `INSERT INTO ${s}.projector_checkpoint (id, last_sequence, updated_at)
         SELECT name, c.last_sequence, c.updated_at FROM unnest($1::text[]) AS name, ${s}.projector_checkpoint c WHERE c.id = 'projector'`,
      [PROJECTIONS],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`DELETE FROM ${s}.projector_checkpoint WHERE id <> 'projector'`);
    await queryRunner.query(`DROP TABLE ${s}.projections`);
  }
}
