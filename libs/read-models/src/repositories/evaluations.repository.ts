import { In, type DataSource } from 'typeorm';
import { EpisodeStateEntity, JobEntity, JobStatusEntity, type EpisodeStateValue, type JobStatusValue } from '../entities/index.js';
import { found } from './not-found.js';
import { pageOfQuery, type Page, type PageRequest } from './page.js';

export interface EvaluationFilter {
  jobId?: string;
  validator?: string;
  status?: JobStatusValue;
  /** Of the job. */
  competitionId?: string;
  /** The job's miner. */
  hotkey?: string;
}

/** A validator's evaluation of a job, with the job's competition and miner (null while the job is not projected). */
export interface EvaluationRow {
  status: JobStatusEntity;
  competitionId: string | null;
  hotkey: string | null;
}

/** Evaluations (job_status: one row per job and validator that claimed it) and the episodes each has started. */
export class EvaluationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Across jobs, the latest change first, ties by job then validator; the job's fields come from one join. */
  async list(filter: EvaluationFilter, page: PageRequest): Promise<Page<EvaluationRow>> {
    const rows = this.dataSource.getRepository(JobStatusEntity).createQueryBuilder('s').leftJoinAndMapOne('s.job', JobEntity, 'j', 'j.id = s.jobId');
    if (filter.jobId) rows.andWhere('s.jobId = :job', { job: filter.jobId });
    if (filter.validator) rows.andWhere('s.validator = :validator', { validator: filter.validator });
    if (filter.status) rows.andWhere('s.status = :status', { status: filter.status });
    if (filter.competitionId) rows.andWhere('j.competitionId = :competition', { competition: filter.competitionId });
    if (filter.hotkey) rows.andWhere('j.hotkey = :miner', { miner: filter.hotkey });
    rows.orderBy('s.updatedAt', 'DESC').addOrderBy('s.jobId', 'ASC').addOrderBy('s.validator', 'ASC');
    const joined = (await pageOfQuery(rows, page)) as Page<JobStatusEntity & { job?: JobEntity | null }>;
    return { ...joined, items: joined.items.map(({ job, ...status }) => ({ status, competitionId: job?.competitionId ?? null, hotkey: job?.hotkey ?? null })) };
  }

  async get(evaluationId: string): Promise<JobStatusEntity> {
    return found(await this.find(evaluationId), 'evaluation', evaluationId);
  }

  /** The evaluation, or null when no validator has started it (or it is not projected yet). */
  find(evaluationId: string): Promise<JobStatusEntity | null> {
    return this.dataSource.getRepository(JobStatusEntity).findOneBy({ evaluationId });
  }

  /** Every evaluation of these jobs, by job then validator. */
  ofJobs(jobIds: string[]): Promise<JobStatusEntity[]> {
    if (jobIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(JobStatusEntity).find({ where: { jobId: In(jobIds) }, order: { jobId: 'ASC', validator: 'ASC' } });
  }

  /** The episodes these evaluations started (only those in `state` when given), by task, then episode index (ties by evaluation, episode). */
  episodes(evaluationIds: string[], state?: EpisodeStateValue): Promise<EpisodeStateEntity[]> {
    if (evaluationIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(EpisodeStateEntity).find({
      where: { evaluationId: In(evaluationIds), ...(state ? { state } : {}) },
      order: { task: 'ASC', episodeIndex: 'ASC', evaluationId: 'ASC', episodeId: 'ASC' },
    });
  }
}
