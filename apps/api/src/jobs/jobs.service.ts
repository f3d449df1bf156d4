import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { JobEntity, JobStatusEntity, JobStatusHistoryEntity } from '#read-models';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, pageOf, type Page } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import { EvaluationLifecycleService, type EvaluationStatusView } from '../lifecycle/evaluation-lifecycle.service.js';
import type { JobStatusQuery, JobsQuery } from './jobs.query.js';

@Injectable()
export class JobsService {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly lifecycle: EvaluationLifecycleService,
  ) {}

  async list(query: JobsQuery): Promise<Page<JobEntity>> {
    const jobs = this.readModels.getRepository(JobEntity).createQueryBuilder('job');
    if (query.competition) jobs.andWhere('job.competitionId = :competition', { competition: query.competition });
    if (query.submission) jobs.andWhere('job.submissionId = :submission', { submission: query.submission });
    if (query.miner) jobs.andWhere('job.hotkey = :miner', { miner: query.miner });
    this.filterByStatus(jobs, query);
    jobs.orderBy('job.createdAt', 'DESC').addOrderBy('job.id', 'ASC').take(query.limit).skip(query.offset);
    return pageOf(await jobs.getManyAndCount(), query);
  }

  /**
   * Status lives per validator in job_status; a validator without a row has the job QUEUED. So QUEUED means
   * "no row for that validator" (or for anyone, without a validator); every other status means "a row says so".
   */
  private filterByStatus(jobs: SelectQueryBuilder<JobEntity>, { status, validator }: JobsQuery): void {
    if (!status && !validator) return;
    const rows = this.readModels
      .getRepository(JobStatusEntity)
      .createQueryBuilder('s')
      .select('1')
      .where('s.jobId = job.id');
    if (validator) rows.andWhere('s.validator = :validator');
    if (status && status !== 'QUEUED') rows.andWhere('s.status = :status');
    const queued = status === 'QUEUED';
    jobs.andWhere(`${queued ? 'NOT EXISTS' : 'EXISTS'} (${rows.getQuery()})`, { validator, status });
  }

  async get(id: string): Promise<JobEntity> {
    const job = await this.readModels.getRepository(JobEntity).findOneBy({ id });
    if (!job) throw new NotFoundException(`job ${id} not found`);
    return job;
  }

  /**
   * Where each validator stands on the job (validators with no row have it QUEUED): its counts, who runs it, how it
   * failed, and the episodes running now with their heartbeats.
   */
  async status(id: string, query: JobStatusQuery): Promise<Page<EvaluationStatusView>> {
    const job = await this.get(id);
    const where = definedOnly({ jobId: id, validator: query.validator });
    const page = await findPage(this.readModels.getRepository(JobStatusEntity), where, { validator: 'ASC' }, query);
    return { ...page, items: await this.lifecycle.withRunningEpisodes(job, page.items) };
  }

  /** Every status change of the job, in stream order. */
  async history(id: string, query: JobStatusQuery): Promise<Page<JobStatusHistoryEntity>> {
    await this.get(id);
    const where = definedOnly({ jobId: id, validator: query.validator });
    return findPage(this.readModels.getRepository(JobStatusHistoryEntity), where, { streamSequence: 'ASC' }, query);
  }
}
