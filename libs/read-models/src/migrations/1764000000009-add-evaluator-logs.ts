import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/**
 * The evaluator's log of an evaluation, an object in the store that each episode's final event may name: kept on
 * the episode's state row. Rows projected before are null, as their events named none.
 */
export class AddEvaluatorLogs1764000000009 implements MigrationInterface {
  name = 'AddEvaluatorLogs1764000000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${schemaOf(queryRunner)}".episode_states ADD COLUMN evaluator_log jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${schemaOf(queryRunner)}".episode_states DROP COLUMN evaluator_log`);
  }
}
