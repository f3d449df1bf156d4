import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { JobEntity, JobStatusEntity, SubmissionEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { tableOf } from '../http/sql.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import { evaluationSummary, type EvaluationSummary, type JobProgressRow } from './evaluation-summary.js';
import type { SubmissionsQuery } from './submissions.query.js';

@Injectable()
export class SubmissionsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  private get submissions() {
    return this.readModels.getRepository(SubmissionEntity);
  }

  list(query: SubmissionsQuery): Promise<Page<SubmissionEntity>> {
    const where = definedOnly({ competitionId: query.competition, hotkey: query.miner, status: query.status });
    return findPage(this.submissions, where, { receivedAt: 'DESC', id: 'ASC' }, query);
  }

  /** The submission with where its evaluation stands, derived from its jobs at read time. */
  async get(id: string): Promise<SubmissionEntity & { evaluation: EvaluationSummary }> {
    const submission = await this.submissions.findOneBy({ id });
    if (!submission) throw new NotFoundException(`submission ${id} not found`);
    const rows: JobProgressRow[] = await this.readModels.query(
      `SELECT j.id AS "jobId", j.rerun_of AS "rerunOf", j.cancelled, s.status
         FROM ${tableOf(this.readModels, JobEntity)} j LEFT JOIN ${tableOf(this.readModels, JobStatusEntity)} s ON s.job_id = j.id
        WHERE j.submission_id = $1`,
      [id],
    );
    return { ...submission, evaluation: evaluationSummary(rows) };
  }
}
