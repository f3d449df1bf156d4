import { Inject, Injectable } from '@nestjs/common';
import {
  CHECKPOINT_ID,
  CompetitionEntity,
  EpisodeEntity,
  JobEntity,
  JobStatusEntity,
  ProjectorCheckpointEntity,
  ResultEntity,
  SubmissionEntity,
  ValidatorEntity,
} from '#read-models';
import type { DataSource } from 'typeorm';
import { tableOf } from '../http/sql.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { StatsDto } from './stats.dto.js';

@Injectable()
export class StatsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  private async countBy(entity: Parameters<typeof tableOf>[1], column: string): Promise<Record<string, number>> {
    const rows: { key: string; count: number }[] = await this.readModels.query(
      `SELECT ${column} AS key, COUNT(*)::int AS count FROM ${tableOf(this.readModels, entity)} GROUP BY ${column}`,
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.count]));
  }

  private async totalAnd(entity: Parameters<typeof tableOf>[1], flag: string): Promise<{ total: number; flagged: number }> {
    const [row]: { total: number; flagged: number }[] = await this.readModels.query(
      `SELECT COUNT(*)::int AS total, COUNT(*) FILTER (WHERE ${flag})::int AS flagged FROM ${tableOf(this.readModels, entity)}`,
    );
    return row!;
  }

  async stats(): Promise<StatsDto> {
    const [competitions, submissions, jobs, jobStatus, results, episodes, validators, checkpoint] = await Promise.all([
      this.totalAnd(CompetitionEntity, 'active'),
      this.countBy(SubmissionEntity, 'status'),
      this.totalAnd(JobEntity, 'cancelled'),
      this.countBy(JobStatusEntity, 'status'),
      this.readModels.getRepository(ResultEntity).count(),
      this.readModels.getRepository(EpisodeEntity).count(),
      this.totalAnd(ValidatorEntity, 'active'),
      this.readModels.getRepository(ProjectorCheckpointEntity).findOneBy({ id: CHECKPOINT_ID }),
    ]);
    return {
      competitions: { total: competitions.total, active: competitions.flagged },
      submissions,
      jobs: { total: jobs.total, cancelled: jobs.flagged },
      jobStatus,
      results,
      episodes,
      validators: { total: validators.total, active: validators.flagged },
      projectedSequence: checkpoint?.lastSequence ?? 0,
    };
  }
}
