import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/**
 * An index for every filter and the sort of the jobs list (newest first: created_at, then id, both descending), so
 * a page, a keyset page and the bounded count read a few index entries instead of scanning and sorting the table.
 * The competition index gains the sort columns; the status filter without a validator probes job_status by status.
 */
export class AddJobListIndexes1764000000004 implements MigrationInterface {
  name = 'AddJobListIndexes1764000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE INDEX jobs_created_idx ON ${s}.jobs (created_at, id);
      DROP INDEX ${s}.jobs_competition_idx;
      CREATE INDEX jobs_competition_created_idx ON ${s}.jobs (competition_id, created_at, id);
      CREATE INDEX jobs_hotkey_created_idx ON ${s}.jobs (hotkey, created_at, id);
      CREATE INDEX job_status_status_idx ON ${s}.job_status (status, job_id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      DROP INDEX ${s}.job_status_status_idx;
      DROP INDEX ${s}.jobs_hotkey_created_idx;
      DROP INDEX ${s}.jobs_competition_created_idx;
      CREATE INDEX jobs_competition_idx ON ${s}.jobs (competition_id);
      DROP INDEX ${s}.jobs_created_idx;
    `);
  }
}
