import { Inject, Injectable } from '@nestjs/common';
import { EpisodeEntity, StepEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { pageOf, type Page } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { StepsQuery } from './steps.query.js';

@Injectable()
export class StepsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  /**
   * Sampled steps across episodes, in (episode, step) order: the primary key's, so a page is an index range. The
   * evaluation, job and task filters pick episodes through the episodes table's indexes.
   */
  async list(query: StepsQuery): Promise<Page<StepEntity>> {
    const steps = this.readModels.getRepository(StepEntity).createQueryBuilder('st');
    if (query.episode) steps.andWhere('st.episodeId = :episode', { episode: query.episode });
    if (query.evaluation || query.job || query.task) {
      const episodes = this.readModels.getRepository(EpisodeEntity).createQueryBuilder('e').select('e.id');
      if (query.evaluation) episodes.andWhere('e.evaluationId = :evaluation');
      if (query.job) episodes.andWhere('e.jobId = :job');
      if (query.task) episodes.andWhere('e.task = :task');
      steps.andWhere(`st.episodeId IN (${episodes.getQuery()})`, { evaluation: query.evaluation, job: query.job, task: query.task });
    }
    if (query.success !== undefined) steps.andWhere('st.success = :success', { success: query.success });
    steps.orderBy('st.episodeId', 'ASC').addOrderBy('st.step', 'ASC').take(query.limit).skip(query.offset);
    return pageOf(await steps.getManyAndCount(), query);
  }
}
