import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/**
 * Every read-model table, in the schema the data source was created for (live, test or replay). Tables whose
 * rows are updated in place leave 30% of each page free so updates stay HOT (no index writes): about a quarter
 * fewer write costs per batch in the eventing bench.
 */
export class CreateReadModels1764000000000 implements MigrationInterface {
  name = 'CreateReadModels1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}.competitions (
        id text PRIMARY KEY,
        name text NOT NULL,
        description text NOT NULL,
        benchmarks jsonb NOT NULL,
        weight_share double precision NOT NULL,
        max_repo_bytes bigint NOT NULL,
        submission_rate_limit jsonb NOT NULL,
        win_margin double precision NOT NULL,
        min_validators integer NOT NULL,
        starts_at timestamptz,
        ends_at timestamptz,
        active boolean NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL,
        last_sequence bigint NOT NULL
      ) WITH (fillfactor = 70);
      CREATE TABLE ${s}.submissions (
        id uuid PRIMARY KEY,
        competition_id text,
        hotkey text NOT NULL,
        block bigint NOT NULL,
        repo text,
        revision text,
        status text NOT NULL,
        rejection_reason text,
        rejection_detail text,
        repo_bytes bigint,
        commitment_event_id uuid NOT NULL,
        received_at timestamptz NOT NULL,
        decided_at timestamptz,
        last_sequence bigint NOT NULL
      ) WITH (fillfactor = 70);
      CREATE INDEX submissions_competition_idx ON ${s}.submissions (competition_id);
      CREATE INDEX submissions_hotkey_idx ON ${s}.submissions (hotkey);
      CREATE TABLE ${s}.jobs (
        id uuid PRIMARY KEY,
        submission_id uuid NOT NULL,
        competition_id text NOT NULL,
        hotkey text NOT NULL,
        repo text NOT NULL,
        revision text NOT NULL,
        benchmark_name text NOT NULL,
        benchmark jsonb NOT NULL,
        deadline timestamptz NOT NULL,
        rerun_of uuid,
        cancelled boolean NOT NULL,
        cancel_reason text,
        created_at timestamptz NOT NULL,
        last_sequence bigint NOT NULL
      ) WITH (fillfactor = 70);
      CREATE INDEX jobs_submission_idx ON ${s}.jobs (submission_id);
      CREATE INDEX jobs_competition_idx ON ${s}.jobs (competition_id);
      CREATE TABLE ${s}.job_status (
        job_id uuid NOT NULL,
        validator text NOT NULL,
        evaluation_id uuid,
        status text NOT NULL,
        reason text,
        fault text,
        detail text,
        updated_at timestamptz NOT NULL,
        last_sequence bigint NOT NULL,
        PRIMARY KEY (job_id, validator)
      ) WITH (fillfactor = 70);
      CREATE INDEX job_status_validator_idx ON ${s}.job_status (validator);
      CREATE TABLE ${s}.job_status_history (
        stream_sequence bigint NOT NULL,
        job_id uuid NOT NULL,
        validator text NOT NULL,
        evaluation_id uuid,
        status text NOT NULL,
        reason text,
        fault text,
        at timestamptz NOT NULL,
        PRIMARY KEY (stream_sequence, job_id, validator)
      );
      CREATE INDEX job_status_history_job_idx ON ${s}.job_status_history (job_id, validator);
      CREATE TABLE ${s}.results (
        evaluation_id uuid PRIMARY KEY,
        job_id uuid NOT NULL,
        validator text NOT NULL,
        competition_id text NOT NULL,
        submission_id uuid NOT NULL,
        hotkey text NOT NULL,
        episodes integer NOT NULL,
        success_rate double precision NOT NULL,
        mean_reward double precision NOT NULL,
        tasks jsonb NOT NULL,
        completed_at timestamptz NOT NULL,
        last_sequence bigint NOT NULL
      );
      CREATE INDEX results_job_idx ON ${s}.results (job_id);
      CREATE INDEX results_competition_idx ON ${s}.results (competition_id);
      CREATE INDEX results_hotkey_idx ON ${s}.results (hotkey);
      CREATE TABLE ${s}.episodes (
        id uuid PRIMARY KEY,
        evaluation_id uuid NOT NULL,
        job_id uuid NOT NULL,
        validator text NOT NULL,
        task text NOT NULL,
        episode_index integer NOT NULL,
        seed bigint NOT NULL,
        steps integer NOT NULL,
        total_reward double precision NOT NULL,
        success boolean NOT NULL,
        terminated boolean NOT NULL,
        truncated boolean NOT NULL,
        duration_ms integer NOT NULL,
        trajectory_key text,
        frames jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        last_sequence bigint NOT NULL
      );
      CREATE INDEX episodes_evaluation_idx ON ${s}.episodes (evaluation_id);
      CREATE INDEX episodes_job_idx ON ${s}.episodes (job_id);
      CREATE TABLE ${s}.steps (
        episode_id uuid NOT NULL,
        step integer NOT NULL,
        reward double precision NOT NULL,
        success boolean NOT NULL,
        action jsonb NOT NULL,
        PRIMARY KEY (episode_id, step)
      );
      CREATE TABLE ${s}.validators (
        hotkey text PRIMARY KEY,
        netuid integer NOT NULL,
        uid integer NOT NULL,
        stake numeric NOT NULL,
        validator_permit boolean NOT NULL,
        active boolean NOT NULL,
        last_seen_block bigint NOT NULL,
        last_sequence bigint NOT NULL
      ) WITH (fillfactor = 70);
      CREATE TABLE ${s}.weights_history (
        stream_sequence bigint PRIMARY KEY,
        netuid integer NOT NULL,
        validator text NOT NULL,
        kind text NOT NULL,
        up_to_sequence bigint NOT NULL,
        uids jsonb NOT NULL,
        weights jsonb NOT NULL,
        scores jsonb,
        block bigint,
        extrinsic_hash text,
        reason text,
        at timestamptz NOT NULL
      );
      CREATE INDEX weights_history_validator_idx ON ${s}.weights_history (validator);
      CREATE TABLE ${s}.api_keys (
        key_id uuid PRIMARY KEY,
        name text NOT NULL,
        sha256 text NOT NULL,
        role text NOT NULL,
        revoked boolean NOT NULL,
        issued_at timestamptz NOT NULL,
        revoked_at timestamptz,
        last_sequence bigint NOT NULL
      ) WITH (fillfactor = 70);
      CREATE TABLE ${s}.projector_checkpoint (
        id text PRIMARY KEY,
        last_sequence bigint NOT NULL,
        updated_at timestamptz NOT NULL
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    const tables = [
      'projector_checkpoint',
      'api_keys',
      'weights_history',
      'validators',
      'steps',
      'episodes',
      'results',
      'job_status_history',
      'job_status',
      'jobs',
      'submissions',
      'competitions',
    ];
    for (const table of tables) await queryRunner.query(`DROP TABLE ${s}.${table}`);
  }
}
