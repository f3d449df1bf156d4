import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/**
 * What a user needs to follow an evaluation: per (job, validator) the planned, done and failed episodes, who runs
 * it and how it failed; per episode its state (running, recorded, failed) and attempt; the trajectory object of a
 * recorded episode; the sampled steps' end flags and metrics; the success interval of a result. Counters start at
 * 0 on existing rows; everything else is null where older events did not say it.
 */
export class AddEvaluationLifecycle1764000000003 implements MigrationInterface {
  name = 'AddEvaluationLifecycle1764000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      ALTER TABLE ${s}.job_status
        ADD COLUMN planned_episodes integer,
        ADD COLUMN episodes_done integer NOT NULL DEFAULT 0,
        ADD COLUMN episodes_failed integer NOT NULL DEFAULT 0,
        ADD COLUMN evaluator text,
        ADD COLUMN verdict text,
        ADD COLUMN failed_episode_id uuid,
        ADD COLUMN stderr_tail text,
        ADD COLUMN started_at timestamptz,
        ADD COLUMN finished_at timestamptz;
      CREATE TABLE ${s}.episode_states (
        episode_id uuid PRIMARY KEY,
        evaluation_id uuid NOT NULL,
        job_id uuid NOT NULL,
        validator text NOT NULL,
        task text NOT NULL,
        episode_index integer NOT NULL,
        seed bigint NOT NULL,
        state text NOT NULL,
        evaluator text,
        attempt integer,
        started_at timestamptz,
        finished_at timestamptz,
        verdict text,
        fault text,
        reason text,
        stderr_tail text,
        last_sequence bigint NOT NULL
      ) WITH (fillfactor = 70);
      CREATE INDEX episode_states_evaluation_idx ON ${s}.episode_states (evaluation_id);
      CREATE INDEX episode_states_job_idx ON ${s}.episode_states (job_id);
      ALTER TABLE ${s}.episodes
        ADD COLUMN trajectory_content_type text,
        ADD COLUMN trajectory_bytes bigint,
        ADD COLUMN trajectory_sha256 text,
        ADD COLUMN evaluator text,
        ADD COLUMN attempt integer;
      ALTER TABLE ${s}.steps
        ADD COLUMN terminated boolean,
        ADD COLUMN truncated boolean,
        ADD COLUMN info jsonb;
      ALTER TABLE ${s}.results
        ADD COLUMN success_low double precision,
        ADD COLUMN success_high double precision;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      ALTER TABLE ${s}.results DROP COLUMN success_low, DROP COLUMN success_high;
      ALTER TABLE ${s}.steps DROP COLUMN terminated, DROP COLUMN truncated, DROP COLUMN info;
      ALTER TABLE ${s}.episodes DROP COLUMN trajectory_content_type, DROP COLUMN trajectory_bytes, DROP COLUMN trajectory_sha256, DROP COLUMN evaluator, DROP COLUMN attempt;
      DROP TABLE ${s}.episode_states;
      ALTER TABLE ${s}.job_status DROP COLUMN planned_episodes, DROP COLUMN episodes_done, DROP COLUMN episodes_failed, DROP COLUMN evaluator,
        DROP COLUMN verdict, DROP COLUMN failed_episode_id, DROP COLUMN stderr_tail, DROP COLUMN started_at, DROP COLUMN finished_at;
    `);
  }
}
