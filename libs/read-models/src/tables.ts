import type { AppendedTable, VersionedTable } from './projection/rows.js';

/** Primary key columns of every projected table, in the order rows are hashed and compared. */
export const versionedTables: Readonly<Record<VersionedTable, readonly string[]>> = {
  competitions: ['id'],
  submissions: ['id'],
  jobs: ['id'],
  job_status: ['job_id', 'validator'],
  results: ['evaluation_id'],
  episodes: ['id'],
  episode_states: ['episode_id'],
  validators: ['hotkey'],
  api_keys: ['key_id'],
};

export const appendedTables: Readonly<Record<AppendedTable, readonly string[]>> = {
  job_status_history: ['stream_sequence', 'job_id', 'validator'],
  steps: ['episode_id', 'step'],
  weights_history: ['stream_sequence'],
  scores: ['stream_sequence', 'entry_index'],
  commitments: ['stream_sequence'],
  rejected_events: ['stream_sequence'],
};

export const CHECKPOINT_TABLE = 'projector_checkpoint';
export const CHECKPOINT_ID = 'projector';
