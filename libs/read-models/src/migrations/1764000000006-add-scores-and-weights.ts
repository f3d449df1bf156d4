import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/**
 * The scoring read models: every ScoresComputed entry (`scores`), the weights history's commit-reveal columns and a
 * per-validator index, and each validator's agreement with consensus. A ScoresComputed row was `computed` before;
 * it is `scores` now, so `computed` means a WeightsComputed only.
 */
export class AddScoresAndWeights1764000000006 implements MigrationInterface {
  name = 'AddScoresAndWeights1764000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}.scores (
        stream_sequence bigint NOT NULL,
        entry_index integer NOT NULL,
        netuid integer NOT NULL,
        validator text NOT NULL,
        up_to_sequence bigint NOT NULL,
        competition_id text NOT NULL,
        submission_id uuid,
        uid integer NOT NULL,
        hotkey text NOT NULL,
        revision text,
        score double precision NOT NULL,
        score_low double precision,
        score_high double precision,
        validators jsonb NOT NULL,
        outliers jsonb NOT NULL,
        eligible boolean,
        role text,
        rank integer,
        reason text,
        at timestamptz NOT NULL,
        PRIMARY KEY (stream_sequence, entry_index)
      );
      CREATE INDEX scores_competition_idx ON ${s}.scores (competition_id, stream_sequence);
      CREATE INDEX scores_validator_idx ON ${s}.scores (validator, stream_sequence);
      ALTER TABLE ${s}.weights_history
        ADD COLUMN commit_hash text,
        ADD COLUMN commit_block bigint,
        ADD COLUMN reveal_from_block bigint,
        ADD COLUMN reveal_until_block bigint;
      UPDATE ${s}.weights_history SET kind = 'scores' WHERE kind = 'computed' AND scores IS NOT NULL;
      CREATE INDEX weights_history_subnet_idx ON ${s}.weights_history (netuid, validator, stream_sequence);
      ALTER TABLE ${s}.validators
        ADD COLUMN consensus_entries integer NOT NULL DEFAULT 0,
        ADD COLUMN outlier_entries integer NOT NULL DEFAULT 0,
        ADD COLUMN agreement_sequence bigint;
      -- The defaults only fill the rows already there: the projection writes every column of every row.
      ALTER TABLE ${s}.validators ALTER COLUMN consensus_entries DROP DEFAULT, ALTER COLUMN outlier_entries DROP DEFAULT;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      ALTER TABLE ${s}.validators DROP COLUMN consensus_entries, DROP COLUMN outlier_entries, DROP COLUMN agreement_sequence;
      DROP INDEX ${s}.weights_history_subnet_idx;
      UPDATE ${s}.weights_history SET kind = 'computed' WHERE kind = 'scores';
      ALTER TABLE ${s}.weights_history DROP COLUMN commit_hash, DROP COLUMN commit_block, DROP COLUMN reveal_from_block, DROP COLUMN reveal_until_block;
      DROP TABLE ${s}.scores;
    `);
  }
}
