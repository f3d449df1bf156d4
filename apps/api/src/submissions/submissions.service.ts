import { Injectable } from '@nestjs/common';
import { JobsRepository, SubmissionsRepository, type Page } from '#read-models';
import { sqlDirection } from '../http/sort-order.js';
import { evaluationSummary, type EvaluationSummary, type JobProgressRow } from './evaluation-summary.js';
import type { SubmissionDetailDto } from './submission.dto.js';
import { toSubmissionDto } from './submission.mapper.js';
import type { SubmissionsQuery } from './submissions.query.js';

const sortColumn = { received: 'receivedAt', block: 'block' } as const;

@Injectable()
export class SubmissionsService {
  constructor(
    private readonly submissions: SubmissionsRepository,
    private readonly jobs: JobsRepository,
  ) {}

  /** A page of submissions, each with where its evaluation stands (one query for the whole page's jobs). */
  async list(query: SubmissionsQuery): Promise<Page<SubmissionDetailDto>> {
    const filter = { competitionId: query.competition, hotkey: query.miner, status: query.status };
    const page = await this.submissions.list(filter, { by: sortColumn[query.sort], direction: sqlDirection(query.order) }, query);
    const evaluations = await this.evaluations(page.items.map((s) => s.id));
    return { ...page, items: page.items.map((s) => toSubmissionDto(s, evaluations.get(s.id)!)) };
  }

  /** The submission with where its evaluation stands, derived from its jobs at read time. */
  async get(id: string): Promise<SubmissionDetailDto> {
    const submission = await this.submissions.get(id);
    return toSubmissionDto(submission, (await this.evaluations([id])).get(id)!);
  }

  /** Each submission's evaluation summary, from its jobs and their status rows (jobs are indexed by submission). */
  private async evaluations(ids: string[]): Promise<Map<string, EvaluationSummary>> {
    const bySubmission = new Map<string, JobProgressRow[]>(ids.map((id) => [id, []]));
    for (const row of await this.jobs.progressOf(ids)) bySubmission.get(row.submissionId)!.push(row);
    return new Map(ids.map((id) => [id, evaluationSummary(bySubmission.get(id)!)]));
  }
}
