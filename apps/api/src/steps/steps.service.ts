import { Injectable } from '@nestjs/common';
import { StepsRepository, type Page } from '#read-models';
import type { StepDto } from '../episodes/episode.dto.js';
import { toStepDto } from './step.mapper.js';
import type { StepsQuery } from './steps.query.js';

@Injectable()
export class StepsService {
  constructor(private readonly steps: StepsRepository) {}

  /** Sampled steps across episodes, in (episode, step) order. */
  async list(query: StepsQuery): Promise<Page<StepDto>> {
    const filter = { episodeId: query.episode, evaluationId: query.evaluation, jobId: query.job, task: query.task, success: query.success };
    const page = await this.steps.list(filter, query);
    return { ...page, items: page.items.map(toStepDto) };
  }
}
