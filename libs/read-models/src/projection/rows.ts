import type {
  ApiKeyEntity,
  CommitmentEntity,
  CompetitionEntity,
  EpisodeEntity,
  EpisodeStateEntity,
  JobEntity,
  JobStatusEntity,
  JobStatusHistoryEntity,
  RejectedEventEntity,
  ResultEntity,
  ScoreEntity,
  StepEntity,
  SubmissionEntity,
  ValidatorEntity,
  WeightsHistoryEntity,
} from '../entities/index.js';

/**
 * Rows as the projection folds and writes them: plain objects keyed by column name. Rows loaded from Postgres
 * carry int8 as text and timestamptz as Date; rows built from events carry numbers and ISO strings. Both write
 * back identically, so the fold never converts them (only `last_sequence` is compared, after Number()).
 *
 * The entities are the one description of each table: a row type is its entity with the property names turned
 * into column names (entity-columns.spec.ts checks every column is named that way), int8 columns widened to
 * Int8, timestamps to Timestamp, and the jsonb and enum-like columns the fold writes from raw event data to
 * `unknown`/`string`, because the fold copies those values through without reading them.
 */
export type Int8 = number | string;
export type Timestamp = string | Date;

/** `submissionRateLimit` → `submission_rate_limit`; digits stay attached (`trajectorySha256` → `trajectory_sha256`). */
export type ColumnName<P extends string> = P extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${ColumnName<Tail>}`
  : P;

type Widened<V, To> = null extends V ? To | null : To;

/**
 * The row of an entity. `Int8Columns` are the bigint properties (the entity reads them as numbers through the
 * int8 transformer; a loaded row still holds the text); `Opaque` are properties the fold copies without reading.
 */
export type RowOf<E, Int8Columns extends keyof E = never, Opaque extends keyof E = never> = {
  -readonly [P in keyof E & string as ColumnName<P>]: P extends Int8Columns
    ? Widened<E[P], Int8>
    : P extends Opaque
      ? unknown
      : E[P] extends Date
        ? Timestamp
        : E[P] extends Date | null
          ? Timestamp | null
          : E[P];
};

export type CompetitionRow = RowOf<CompetitionEntity, 'maxRepoBytes' | 'lastSequence', 'benchmarks' | 'submissionRateLimit'>;
export type SubmissionRow = Omit<RowOf<SubmissionEntity, 'block' | 'repoBytes' | 'lastSequence'>, 'rejection_reason'> & {
  /** Copied from the event, whose reasons the entity narrows when read. */
  rejection_reason: string | null;
};
export type JobRow = RowOf<JobEntity, 'lastSequence', 'benchmark'>;
export type JobStatusRow = RowOf<JobStatusEntity, 'lastSequence'>;
export type EpisodeStateRow = RowOf<EpisodeStateEntity, 'seed' | 'lastSequence', 'evaluatorLog'>;
export type JobStatusHistoryRow = RowOf<JobStatusHistoryEntity, 'streamSequence'>;
export type ResultRow = RowOf<ResultEntity, 'lastSequence', 'tasks'>;
export type EpisodeRow = RowOf<EpisodeEntity, 'seed' | 'trajectoryBytes' | 'lastSequence', 'frames'>;
export type StepRow = RowOf<StepEntity, never, 'info'>;
export type ValidatorRow = RowOf<ValidatorEntity, 'lastSeenBlock' | 'agreementSequence' | 'lastSequence'>;
export type WeightsHistoryRow = RowOf<
  WeightsHistoryEntity,
  'streamSequence' | 'upToSequence' | 'block' | 'commitBlock' | 'revealFromBlock' | 'revealUntilBlock',
  'scores'
>;
export type ScoreRow = RowOf<ScoreEntity, 'streamSequence' | 'upToSequence'>;
export type ApiKeyRow = Omit<RowOf<ApiKeyEntity, 'lastSequence'>, 'role'> & {
  /** Copied from the event; the entity narrows it to the roles the API knows. */
  role: string;
};
/** One CommitmentObserved, decoded: a miner sees here why a commitment cannot become a submission. */
export type CommitmentRow = RowOf<CommitmentEntity, 'streamSequence' | 'block'>;
/** An event the projection passed without applying, and why (see RejectedEventEntity). */
export type RejectedEventRow = RowOf<RejectedEventEntity, 'streamSequence'>;

/** Tables whose rows are upserted under the `last_sequence` guard, and the row type of each. */
export interface VersionedRows {
  competitions: CompetitionRow;
  submissions: SubmissionRow;
  jobs: JobRow;
  job_status: JobStatusRow;
  results: ResultRow;
  episodes: EpisodeRow;
  episode_states: EpisodeStateRow;
  validators: ValidatorRow;
  api_keys: ApiKeyRow;
}

/** Tables that only ever receive new rows (ON CONFLICT DO NOTHING). */
export interface AppendedRows {
  job_status_history: JobStatusHistoryRow;
  steps: StepRow;
  weights_history: WeightsHistoryRow;
  scores: ScoreRow;
  commitments: CommitmentRow;
  rejected_events: RejectedEventRow;
}

export type VersionedTable = keyof VersionedRows;
export type AppendedTable = keyof AppendedRows;
