import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EpisodeEntity, StepEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page, type PageQuery } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { EpisodesQuery } from './episodes.query.js';

@Injectable()
export class EpisodesService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  private get episodes() {
    return this.readModels.getRepository(EpisodeEntity);
  }

  list(query: EpisodesQuery): Promise<Page<EpisodeEntity>> {
    const where = definedOnly({
      jobId: query.job,
      evaluationId: query.evaluation,
      validator: query.validator,
      task: query.task,
      success: query.success,
    });
    return findPage(this.episodes, where, { recordedAt: 'DESC', id: 'ASC' }, query);
  }

  async get(id: string): Promise<EpisodeEntity> {
    const episode = await this.episodes.findOneBy({ id });
    if (!episode) throw new NotFoundException(`episode ${id} not found`);
    return episode;
  }

  /** The sampled steps of an episode, in step order. */
  async steps(id: string, query: PageQuery): Promise<Page<StepEntity>> {
    await this.get(id);
    return findPage(this.readModels.getRepository(StepEntity), { episodeId: id }, { step: 'ASC' }, query);
  }
}
