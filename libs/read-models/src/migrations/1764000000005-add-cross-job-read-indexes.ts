import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/**
 * Indexes for the reads across jobs and episodes: job status by status (newest change first) and episodes by task
 * (the steps route resolves its episode filters through them). Jobs by miner use 1764000000004's
 * jobs_hotkey_created_idx.
 */
export class AddCrossJobReadIndexes1764000000005 implements MigrationInterface {
  name = 'AddCrossJobReadIndexes1764000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE INDEX job_status_status_updated_idx ON ${s}.job_status (status, updated_at);
      CREATE INDEX episodes_task_idx ON ${s}.episodes (task);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`DROP INDEX ${s}.job_status_status_updated_idx; DROP INDEX ${s}.episodes_task_idx;`);
  }
}
