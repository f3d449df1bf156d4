import { Inject, Injectable } from '@nestjs/common';
import { JobEntity, JobStatusEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { pageOf, type Page } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { JobStatusRowDto } from './job-status.dto.js';
import type { JobStatusAcrossJobsQuery } from './job-status.query.js';

type WithJob = JobStatusEntity & { job?: JobEntity | null };

@Injectable()
export class JobStatusService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  /** Evaluations across jobs, the latest change first; the job's competition and miner come from one join. */
  async list(query: JobStatusAcrossJobsQuery): Promise<Page<JobStatusRowDto>> {
    const rows = this.readModels.getRepository(JobStatusEntity).createQueryBuilder('s').leftJoinAndMapOne('s.job', JobEntity, 'j', 'j.id = s.jobId');
    if (query.job) rows.andWhere('s.jobId = :job', { job: query.job });
    if (query.validator) rows.andWhere('s.validator = :validator', { validator: query.validator });
    if (query.status) rows.andWhere('s.status = :status', { status: query.status });
    if (query.competition) rows.andWhere('j.competitionId = :competition', { competition: query.competition });
    if (query.miner) rows.andWhere('j.hotkey = :miner', { miner: query.miner });
    rows.orderBy('s.updatedAt', 'DESC').addOrderBy('s.jobId', 'ASC').addOrderBy('s.validator', 'ASC').take(query.limit).skip(query.offset);
    const [items, total] = (await rows.getManyAndCount()) as [WithJob[], number];
    return pageOf([items.map(({ job, ...status }) => ({ ...status, competitionId: job?.competitionId ?? null, miner: job?.hotkey ?? null })), total], query);
  }
}
