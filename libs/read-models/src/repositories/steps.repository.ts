import type { DataSource } from 'typeorm';
import { EpisodeEntity, StepEntity } from '../entities/index.js';
import { pageOfQuery, type Page, type PageRequest } from './page.js';

export interface StepFilter {
  episodeId?: string;
  /** Steps of the evaluation's episodes. */
  evaluationId?: string;
  /** Steps of the job's episodes, every validator's. */
  jobId?: string;
  /** Steps of episodes of this task. */
  task?: string;
  success?: boolean;
}

/** Sampled steps of recorded episodes. */
export class StepsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * In (episode, step) order: the primary key's, so a page is an index range. The evaluation, job and task filters
   * pick episodes through the episodes table's indexes.
   */
  list(filter: StepFilter, page: PageRequest): Promise<Page<StepEntity>> {
    const steps = this.dataSource.getRepository(StepEntity).createQueryBuilder('st');
    if (filter.episodeId) steps.andWhere('st.episodeId = :episode', { episode: filter.episodeId });
    if (filter.evaluationId || filter.jobId || filter.task) {
      const episodes = this.dataSource.getRepository(EpisodeEntity).createQueryBuilder('e').select('e.id');
      if (filter.evaluationId) episodes.andWhere('e.evaluationId = :evaluation');
      if (filter.jobId) episodes.andWhere('e.jobId = :job');
      if (filter.task) episodes.andWhere('e.task = :task');
      steps.andWhere(`st.episodeId IN (${episodes.getQuery()})`, { evaluation: filter.evaluationId, job: filter.jobId, task: filter.task });
    }
    if (filter.success !== undefined) steps.andWhere('st.success = :success', { success: filter.success });
    return pageOfQuery(steps.orderBy('st.episodeId', 'ASC').addOrderBy('st.step', 'ASC'), page);
  }
}
