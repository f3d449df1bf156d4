import { Injectable } from '@nestjs/common';
import { EvaluationsRepository, type JobStatusValue, type Page } from '#read-models';
import { toEvaluationFields } from '../jobs/job-status.mapper.js';
import type { JobStatusRowDto } from './job-status.dto.js';
import type { JobStatusAcrossJobsQuery } from './job-status.query.js';

@Injectable()
export class JobStatusService {
  constructor(private readonly evaluations: EvaluationsRepository) {}

  /** Evaluations across jobs, the latest change first, with the job's competition and miner. */
  async list(query: JobStatusAcrossJobsQuery): Promise<Page<JobStatusRowDto>> {
    const filter = {
      jobId: query.job,
      validator: query.validator,
      status: query.status as JobStatusValue | undefined,
      competitionId: query.competition,
      hotkey: query.miner,
    };
    const page = await this.evaluations.list(filter, query);
    return { ...page, items: page.items.map((row) => ({ ...toEvaluationFields(row.status), competitionId: row.competitionId, miner: row.hotkey })) };
  }
}
