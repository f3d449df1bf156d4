import type { Provider } from '@nestjs/common';
import { readModelRepositories } from '#read-models';
import type { DataSource } from 'typeorm';
import { READ_MODELS } from './tokens.js';

/** The read-model repositories services read through, each injectable by its class. */
export const repositoryProviders: Provider[] = readModelRepositories.map((repository) => ({
  provide: repository,
  inject: [READ_MODELS],
  useFactory: (dataSource: DataSource) => new repository(dataSource),
}));

export const repositoryTokens = [...readModelRepositories];
