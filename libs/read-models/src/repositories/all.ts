import type { DataSource } from 'typeorm';
import { ApiKeysRepository } from './api-keys.repository.js';
import { CheckpointsRepository } from './checkpoints.repository.js';
import { CommitmentsRepository } from './commitments.repository.js';
import { CompetitionsRepository } from './competitions.repository.js';
import { EpisodesRepository } from './episodes.repository.js';
import { EvaluationsRepository } from './evaluations.repository.js';
import { JobsRepository } from './jobs.repository.js';
import { LeaderboardsRepository } from './leaderboards.repository.js';
import { RejectedEventsRepository } from './rejected-events.repository.js';
import { ResultsRepository } from './results.repository.js';
import { SnapshotsRepository } from './snapshots.repository.js';
import { StatsRepository } from './stats.repository.js';
import { StepsRepository } from './steps.repository.js';
import { SubmissionsRepository } from './submissions.repository.js';
import { ValidatorsRepository } from './validators.repository.js';
import { WeightsRepository } from './weights.repository.js';

/** Every read-model repository: each a plain class over the one read-model DataSource, so a reader wires them all alike. */
export const readModelRepositories: readonly (new (dataSource: DataSource) => object)[] = [
  ApiKeysRepository,
  CheckpointsRepository,
  CommitmentsRepository,
  CompetitionsRepository,
  EpisodesRepository,
  EvaluationsRepository,
  JobsRepository,
  LeaderboardsRepository,
  RejectedEventsRepository,
  ResultsRepository,
  SnapshotsRepository,
  StatsRepository,
  StepsRepository,
  SubmissionsRepository,
  ValidatorsRepository,
  WeightsRepository,
];
