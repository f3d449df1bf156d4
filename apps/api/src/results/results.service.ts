import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ResultEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { ResultsQuery } from './results.query.js';

@Injectable()
export class ResultsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  private get results() {
    return this.readModels.getRepository(ResultEntity);
  }

  list(query: ResultsQuery): Promise<Page<ResultEntity>> {
    const where = definedOnly({ competitionId: query.competition, hotkey: query.miner, validator: query.validator, jobId: query.job });
    return findPage(this.results, where, { completedAt: 'DESC', evaluationId: 'ASC' }, query);
  }

  async get(evaluationId: string): Promise<ResultEntity> {
    const result = await this.results.findOneBy({ evaluationId });
    if (!result) throw new NotFoundException(`no result for evaluation ${evaluationId}`);
    return result;
  }
}
