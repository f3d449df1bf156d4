import { Inject, Injectable } from '@nestjs/common';
import { ResultEntity, NotFound } from '#read-models';
import type { DataSource } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { ResultDto } from './result.dto.js';
import type { ResultsQuery } from './results.query.js';

/** The row with its interval as one value (null when the event carried none). */
const toResultView = ({ successLow, successHigh, ...result }: ResultEntity): ResultDto => ({
  ...result,
  successInterval: successLow === null || successHigh === null ? null : { low: successLow, high: successHigh },
});

@Injectable()
export class ResultsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  private get results() {
    return this.readModels.getRepository(ResultEntity);
  }

  async list(query: ResultsQuery): Promise<Page<ResultDto>> {
    const where = definedOnly({
      competitionId: query.competition,
      hotkey: query.miner,
      validator: query.validator,
      jobId: query.job,
      submissionId: query.submission,
    });
    const page = await findPage(this.results, where, { completedAt: 'DESC', evaluationId: 'ASC' }, query);
    return { ...page, items: page.items.map(toResultView) };
  }

  async get(evaluationId: string): Promise<ResultDto> {
    const result = await this.results.findOneBy({ evaluationId });
    if (!result) throw new NotFound('result of evaluation', evaluationId);
    return toResultView(result);
  }
}
