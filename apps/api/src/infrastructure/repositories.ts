import type { Provider } from '@nestjs/common';
import {
  CheckpointsRepository,
  CompetitionsRepository,
  EpisodesRepository,
  JobsRepository,
  LeaderboardsRepository,
  ResultsRepository,
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
  CheckpointsRepository,
  CompetitionsRepository,
  EpisodesRepository,
  JobsRepository,
  LeaderboardsRepository,
  ResultsRepository,
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
