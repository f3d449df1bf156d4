import type { EventType } from '#contracts';
import type { AppendedTable, VersionedTable } from './rows.js';

export type ProjectedTable = VersionedTable | AppendedTable;

/**
 * One read model: the tables it owns, the events that change them and the version of its fold. Bumping `version`
 * makes the projector rebuild this projection alone (from sequence 1, into a shadow schema) and swap its tables in
 * once caught up, while the others keep serving. Tables fold together when one event writes them together (a
 * status change and its history row; an episode, its state and its steps).
 *
 * The folds read across projections (a result names its job's competition; the judge reads validators, jobs and
 * claims), so a rebuild folds every handler into the shadow schema and swaps in only the rebuilt projection's tables.
 */
export interface ProjectionDefinition {
  name: string;
  version: number;
  tables: readonly ProjectedTable[];
  events: readonly EventType[];
}

const validatorSide: EventType[] = [
  'EvaluationClaimed',
  'EvaluationStarted',
  'EvaluationCompleted',
  'EvaluationFailed',
  'EvaluationCancelled',
  'EpisodeStarted',
  'EpisodeRecorded',
  'EpisodeFailed',
  'ScoresComputed',
  'WeightsComputed',
  'WeightsCommitted',
  'WeightsSet',
  'WeightsSetFailed',
];

export const projections: readonly ProjectionDefinition[] = [
  {
    name: 'competitions',
    version: 1,
    tables: ['competitions'],
    events: ['CompetitionCreated', 'CompetitionUpdated', 'CompetitionActivated', 'CompetitionDeactivated'],
  },
  { name: 'submissions', version: 1, tables: ['submissions'], events: ['SubmissionReceived', 'SubmissionAccepted', 'SubmissionRejected'] },
  {
    name: 'jobs',
    version: 1,
    tables: ['jobs', 'job_status', 'job_status_history'],
    events: [
      'JobCreated',
      'JobTimedOut',
      'JobCancelled',
      'EvaluationClaimed',
      'EvaluationStarted',
      'EvaluationCancelled',
      'EvaluationFailed',
      'EvaluationCompleted',
    ],
  },
  {
    name: 'results',
    version: 1,
    tables: ['results', 'episodes', 'episode_states', 'steps'],
    events: ['EvaluationCompleted', 'EpisodeStarted', 'EpisodeRecorded', 'EpisodeFailed'],
  },
  { name: 'validators', version: 1, tables: ['validators'], events: ['MetagraphSynced', 'ScoresComputed'] },
  {
    name: 'scores',
    version: 1,
    tables: ['scores', 'weights_history'],
    events: ['ScoresComputed', 'WeightsComputed', 'WeightsCommitted', 'WeightsSet', 'WeightsSetFailed'],
  },
  { name: 'commitments', version: 1, tables: ['commitments'], events: ['CommitmentObserved'] },
  { name: 'api_keys', version: 1, tables: ['api_keys'], events: ['ApiKeyIssued', 'ApiKeyRevoked'] },
  /** Every event the judge reads, and those naming something no earlier event created. */
  { name: 'rejected_events', version: 1, tables: ['rejected_events'], events: [...validatorSide, 'JobCancelled', 'ApiKeyRevoked'] },
];

export const projectionNames = projections.map((p) => p.name);

/** The definitions of `names`, or a RangeError naming the unknown one. */
export const projectionsNamed = (names: readonly string[]): ProjectionDefinition[] =>
  names.map((name) => {
    const found = projections.find((p) => p.name === name);
    if (!found) throw new RangeError(`unknown projection "${name}" (known: ${projectionNames.join(', ')})`);
    return found;
  });
