import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/** Events the projection passed without applying (valid by contract, yet not applicable), and why. */
export class AddRejectedEvents1764000000002 implements MigrationInterface {
  name = 'AddRejectedEvents1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}.rejected_events (
        stream_sequence bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        type text NOT NULL,
        aggregate text NOT NULL,
        aggregate_id text NOT NULL,
        reason text NOT NULL,
        recorded_at timestamptz NOT NULL
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".rejected_events`);
  }
}
