import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/** Observed commitments, decoded: what a miner checks when a commitment did not become a submission. */
export class AddCommitments1764000000001 implements MigrationInterface {
  name = 'AddCommitments1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}.commitments (
        stream_sequence bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        netuid integer NOT NULL,
        hotkey text NOT NULL,
        uid integer,
        block bigint NOT NULL,
        block_hash text NOT NULL,
        raw text NOT NULL,
        valid boolean NOT NULL,
        competition_id text,
        repo text,
        revision text,
        rejection_reason text,
        rejection_detail text,
        observed_at timestamptz NOT NULL
      );
      CREATE INDEX commitments_hotkey_idx ON ${s}.commitments (hotkey);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".commitments`);
  }
}
