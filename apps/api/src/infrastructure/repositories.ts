import type { Provider } from '@nestjs/common';
import {
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
} from '#read-models';
import type { DataSource } from 'typeorm';
import { READ_MODELS } from './tokens.js';

/** The read-model repositories services read through; each is a plain class over the one read-model DataSource. */
const repositories = [
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

export const repositoryProviders: Provider[] = repositories.map((repository) => ({
  provide: repository,
  inject: [READ_MODELS],
  useFactory: (dataSource: DataSource) => new repository(dataSource),
}));

export const repositoryTokens = repositories;
