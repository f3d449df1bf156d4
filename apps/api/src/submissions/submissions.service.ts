import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { JobEntity, JobStatusEntity, SubmissionEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { sqlDirection } from '../http/sort-order.js';
import { tableOf } from '../http/sql.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import { evaluationSummary, type EvaluationSummary, type JobProgressRow } from './evaluation-summary.js';
import type { SubmissionsQuery } from './submissions.query.js';

type WithEvaluation = SubmissionEntity & { evaluation: EvaluationSummary };

const sortColumn = { received: 'receivedAt', block: 'block' } as const;

@Injectable()
export class SubmissionsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  private get submissions() {
    return this.readModels.getRepository(SubmissionEntity);
  }

  /** A page of submissions, each with where its evaluation stands (one query for the whole page's jobs). */
  async list(query: SubmissionsQuery): Promise<Page<WithEvaluation>> {
    const where = definedOnly({ competitionId: query.competition, hotkey: query.miner, status: query.status });
    const page = await findPage(this.submissions, where, { [sortColumn[query.sort]]: sqlDirection(query.order), id: 'ASC' }, query);
    const evaluations = await this.evaluations(page.items.map((s) => s.id));
    return { ...page, items: page.items.map((s) => ({ ...s, evaluation: evaluations.get(s.id)! })) };
  }

  /** The submission with where its evaluation stands, derived from its jobs at read time. */
  async get(id: string): Promise<WithEvaluation> {
    const submission = await this.submissions.findOneBy({ id });
    if (!submission) throw new NotFoundException(`submission ${id} not found`);
    return { ...submission, evaluation: (await this.evaluations([id])).get(id)! };
  }

  /** Each submission's evaluation summary, from its jobs LEFT JOIN job_status (jobs are indexed by submission). */
  private async evaluations(ids: string[]): Promise<Map<string, EvaluationSummary>> {
    const rows: (JobProgressRow & { submissionId: string })[] = ids.length
      ? await this.readModels.query(
          `SELECT j.submission_id AS "submissionId", j.id AS "jobId", j.rerun_of AS "rerunOf", j.cancelled, s.status
             FROM ${tableOf(this.readModels, JobEntity)} j LEFT JOIN ${tableOf(this.readModels, JobStatusEntity)} s ON s.job_id = j.id
            WHERE j.submission_id = ANY($1::uuid[])`,
          [ids],
        )
      : [];
    const bySubmission = new Map<string, JobProgressRow[]>(ids.map((id) => [id, []]));
    for (const row of rows) bySubmission.get(row.submissionId)!.push(row);
    return new Map(ids.map((id) => [id, evaluationSummary(bySubmission.get(id)!)]));
  }
}
