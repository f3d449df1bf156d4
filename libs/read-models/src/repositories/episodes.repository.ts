import { In, type DataSource } from 'typeorm';
import { EpisodeEntity, JobEntity } from '../entities/index.js';
import { found } from './not-found.js';
import { pageOfQuery, type Page, type PageRequest } from './page.js';

export interface EpisodeFilter {
  /** Episodes of the submission's jobs. */
  submissionId?: string;
  jobId?: string;
  evaluationId?: string;
  validator?: string;
  task?: string;
  success?: boolean;
}

/** Recorded episodes (one row per EpisodeRecorded), indexed by evaluation, job and task. */
export class EpisodesRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get rows() {
    return this.dataSource.getRepository(EpisodeEntity);
  }

  /** Latest recorded first, ties by id. */
  list(filter: EpisodeFilter, page: PageRequest): Promise<Page<EpisodeEntity>> {
    const episodes = this.rows.createQueryBuilder('e');
    if (filter.submissionId) {
      const jobs = this.dataSource.getRepository(JobEntity).createQueryBuilder('j').select('j.id').where('j.submissionId = :submission');
      episodes.andWhere(`e.jobId IN (${jobs.getQuery()})`, { submission: filter.submissionId });
    }
    if (filter.jobId) episodes.andWhere('e.jobId = :job', { job: filter.jobId });
    if (filter.evaluationId) episodes.andWhere('e.evaluationId = :evaluation', { evaluation: filter.evaluationId });
    if (filter.validator) episodes.andWhere('e.validator = :validator', { validator: filter.validator });
    if (filter.task) episodes.andWhere('e.task = :task', { task: filter.task });
    if (filter.success !== undefined) episodes.andWhere('e.success = :success', { success: filter.success });
    return pageOfQuery(episodes.orderBy('e.recordedAt', 'DESC').addOrderBy('e.id', 'ASC'), page);
  }

  async get(id: string): Promise<EpisodeEntity> {
    return found(await this.rows.findOneBy({ id }), 'episode', id);
  }

  /** The trajectory key of each episode these evaluations recorded (null where none was stored), by episode id. */
  async trajectoryKeys(evaluationIds: string[]): Promise<Map<string, string | null>> {
    if (evaluationIds.length === 0) return new Map();
    const rows = await this.rows.find({ select: { id: true, trajectoryKey: true }, where: { evaluationId: In(evaluationIds) } });
    return new Map(rows.map((e) => [e.id, e.trajectoryKey]));
  }
}
