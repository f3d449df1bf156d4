import type { Fault, ScoreRole, VerdictKind } from '#contracts';
import type { EpisodeStateValue } from '../entities/episode-state.entity.js';
import type { JobStatusValue } from '../entities/job-status.entity.js';
import type { WeightsKind } from '../entities/weights-history.entity.js';

/**
 * Rows as the projection folds and writes them: plain objects keyed by column name. Rows loaded from Postgres
 * carry int8 as text and timestamptz as Date; rows built from events carry numbers and ISO strings. Both write
 * back identically, so the fold never converts them (only `last_sequence` is compared, after Number()).
 */
export type Int8 = number | string;
export type Timestamp = string | Date;

export interface CompetitionRow {
  id: string;
  name: string;
  description: string;
  benchmarks: unknown;
  weight_share: number;
  max_repo_bytes: Int8;
  submission_rate_limit: unknown;
  win_margin: number;
  min_validators: number;
  starts_at: Timestamp | null;
  ends_at: Timestamp | null;
  active: boolean;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  last_sequence: Int8;
}

export interface SubmissionRow {
  id: string;
  competition_id: string | null;
  hotkey: string;
  block: Int8;
  repo: string | null;
  revision: string | null;
  status: 'pending' | 'accepted' | 'rejected';
  rejection_reason: string | null;
  rejection_detail: string | null;
  repo_bytes: Int8 | null;
  commitment_event_id: string;
  received_at: Timestamp;
  decided_at: Timestamp | null;
  last_sequence: Int8;
}

export interface JobRow {
  id: string;
  submission_id: string;
  competition_id: string;
  hotkey: string;
  repo: string;
  revision: string;
  benchmark_name: string;
  benchmark: unknown;
  deadline: Timestamp;
  rerun_of: string | null;
  cancelled: boolean;
  cancel_reason: string | null;
  created_at: Timestamp;
  last_sequence: Int8;
}

export interface JobStatusRow {
  job_id: string;
  validator: string;
  evaluation_id: string | null;
  status: JobStatusValue;
  reason: string | null;
  fault: Fault | null;
  detail: string | null;
  planned_episodes: number | null;
  episodes_done: number;
  episodes_failed: number;
  evaluator: string | null;
  verdict: VerdictKind | null;
  failed_episode_id: string | null;
  stderr_tail: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: Timestamp;
  last_sequence: Int8;
}

export interface EpisodeStateRow {
  episode_id: string;
  evaluation_id: string;
  job_id: string;
  validator: string;
  task: string;
  episode_index: number;
  seed: Int8;
  state: EpisodeStateValue;
  evaluator: string | null;
  attempt: number | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  verdict: VerdictKind | null;
  fault: Fault | null;
  reason: string | null;
  stderr_tail: string | null;
  last_sequence: Int8;
}

export interface JobStatusHistoryRow {
  stream_sequence: Int8;
  job_id: string;
  validator: string;
  evaluation_id: string | null;
  status: JobStatusValue;
  reason: string | null;
  fault: Fault | null;
  at: Timestamp;
}

export interface ResultRow {
  evaluation_id: string;
  job_id: string;
  validator: string;
  competition_id: string;
  submission_id: string;
  hotkey: string;
  episodes: number;
  success_rate: number;
  mean_reward: number;
  success_low: number | null;
  success_high: number | null;
  tasks: unknown;
  completed_at: Timestamp;
  last_sequence: Int8;
}

export interface EpisodeRow {
  id: string;
  evaluation_id: string;
  job_id: string;
  validator: string;
  task: string;
  episode_index: number;
  seed: Int8;
  steps: number;
  total_reward: number;
  success: boolean;
  terminated: boolean;
  truncated: boolean;
  duration_ms: number;
  trajectory_key: string | null;
  trajectory_content_type: string | null;
  trajectory_bytes: Int8 | null;
  trajectory_sha256: string | null;
  frames: unknown;
  evaluator: string | null;
  attempt: number | null;
  recorded_at: Timestamp;
  last_sequence: Int8;
}

export interface StepRow {
  episode_id: string;
  step: number;
  reward: number;
  success: boolean;
  action: number[];
  terminated: boolean | null;
  truncated: boolean | null;
  info: unknown;
}

export interface ValidatorRow {
  hotkey: string;
  netuid: number;
  uid: number;
  stake: string;
  validator_permit: boolean;
  active: boolean;
  last_seen_block: Int8;
  consensus_entries: number;
  outlier_entries: number;
  agreement_sequence: Int8 | null;
  last_sequence: Int8;
}

export interface WeightsHistoryRow {
  stream_sequence: Int8;
  netuid: number;
  validator: string;
  kind: WeightsKind;
  up_to_sequence: Int8;
  uids: number[];
  weights: number[];
  scores: unknown;
  block: Int8 | null;
  extrinsic_hash: string | null;
  reason: string | null;
  commit_hash: string | null;
  commit_block: Int8 | null;
  reveal_from_block: Int8 | null;
  reveal_until_block: Int8 | null;
  at: Timestamp;
}

export interface ScoreRow {
  stream_sequence: Int8;
  entry_index: number;
  netuid: number;
  validator: string;
  up_to_sequence: Int8;
  competition_id: string;
  submission_id: string | null;
  uid: number;
  hotkey: string;
  revision: string | null;
  score: number;
  score_low: number | null;
  score_high: number | null;
  validators: string[];
  outliers: string[];
  eligible: boolean | null;
  role: ScoreRole | null;
  rank: number | null;
  reason: string | null;
  at: Timestamp;
}

export interface ApiKeyRow {
  key_id: string;
  name: string;
  sha256: string;
  role: string;
  revoked: boolean;
  issued_at: Timestamp;
  revoked_at: Timestamp | null;
  last_sequence: Int8;
}

/** One CommitmentObserved, decoded: a miner sees here why a commitment cannot become a submission. */
export interface CommitmentRow {
  stream_sequence: Int8;
  event_id: string;
  netuid: number;
  hotkey: string;
  uid: number | null;
  block: Int8;
  block_hash: string;
  raw: string;
  valid: boolean;
  competition_id: string | null;
  repo: string | null;
  revision: string | null;
  rejection_reason: string | null;
  rejection_detail: string | null;
  observed_at: Timestamp;
}

/** An event the projection passed without applying, and why (see RejectedEventEntity). */
export interface RejectedEventRow {
  stream_sequence: Int8;
  event_id: string;
  type: string;
  aggregate: string;
  aggregate_id: string;
  reason: string;
  recorded_at: Timestamp;
}

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
