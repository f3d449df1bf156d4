import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import {
  CommitmentEntity,
  CompetitionEntity,
  EpisodeEntity,
  JobEntity,
  JobStatusEntity,
  ResultEntity,
  SubmissionEntity,
  ValidatorEntity,
} from '../entities/index.js';
import { tableOf } from './sql.js';

export interface ReadModelCounts {
  competitions: { total: number; active: number };
  /** Submissions per status. */
  submissions: Record<string, number>;
  jobs: { total: number; cancelled: number };
  /** (job, validator) pairs per status; QUEUED pairs have no row. */
  jobStatus: Record<string, number>;
  results: number;
  episodes: number;
  /** From the metagraph. */
  validators: { total: number; active: number };
  /** The newest chain block the read models know of: a metagraph snapshot's or a commitment's; null before any. */
  lastSeenBlock: number | null;
}

type Table = EntityTarget<ObjectLiteral>;

/** Counts over the read models, for the platform's overview. Each is one scan or index count. */
export class StatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async counts(): Promise<ReadModelCounts> {
    const [competitions, submissions, jobs, jobStatus, results, episodes, validators, lastSeenBlock] = await Promise.all([
      this.totalAnd(CompetitionEntity, 'active'),
      this.countBy(SubmissionEntity, 'status'),
      this.totalAnd(JobEntity, 'cancelled'),
      this.countBy(JobStatusEntity, 'status'),
      this.dataSource.getRepository(ResultEntity).count(),
      this.dataSource.getRepository(EpisodeEntity).count(),
      this.totalAnd(ValidatorEntity, 'active'),
      this.lastSeenBlock(),
    ]);
    return {
      competitions: { total: competitions.total, active: competitions.flagged },
      submissions,
      jobs: { total: jobs.total, cancelled: jobs.flagged },
      jobStatus,
      results,
      episodes,
      validators: { total: validators.total, active: validators.flagged },
      lastSeenBlock,
    };
  }

  private async lastSeenBlock(): Promise<number | null> {
    const [row]: { block: string | null }[] = await this.dataSource.query(
      `SELECT GREATEST((SELECT MAX(last_seen_block) FROM ${tableOf(this.dataSource, ValidatorEntity)}),
                       (SELECT MAX(block) FROM ${tableOf(this.dataSource, CommitmentEntity)})) AS block`,
    );
    return row?.block == null ? null : Number(row.block);
  }

  /** Rows per value of `column` (a column name of ours, never a caller's). */
  private async countBy(entity: Table, column: string): Promise<Record<string, number>> {
    const rows: { key: string; count: number }[] = await this.dataSource.query(
      `SELECT ${column} AS key, COUNT(*)::int AS count FROM ${tableOf(this.dataSource, entity)} GROUP BY ${column}`,
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.count]));
  }

  /** All rows, and those where the boolean column `flag` holds. */
  private async totalAnd(entity: Table, flag: string): Promise<{ total: number; flagged: number }> {
    const [row]: { total: number; flagged: number }[] = await this.dataSource.query(
      `SELECT COUNT(*)::int AS total, COUNT(*) FILTER (WHERE ${flag})::int AS flagged FROM ${tableOf(this.dataSource, entity)}`,
    );
    return row!;
  }
}
