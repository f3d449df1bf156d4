import { Injectable } from '@nestjs/common';
import { ResultsRepository, type Page } from '#read-models';
import type { ResultDto } from './result.dto.js';
import { toResultDto } from './result.mapper.js';
import type { ResultsQuery } from './results.query.js';

@Injectable()
export class ResultsService {
  constructor(private readonly results: ResultsRepository) {}

  async list(query: ResultsQuery): Promise<Page<ResultDto>> {
    const filter = { competitionId: query.competition, hotkey: query.miner, validator: query.validator, jobId: query.job, submissionId: query.submission };
    const page = await this.results.list(filter, query);
    return { ...page, items: page.items.map(toResultDto) };
  }

  async get(evaluationId: string): Promise<ResultDto> {
    return toResultDto(await this.results.get(evaluationId));
  }
}
