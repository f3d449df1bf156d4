import type { DataSource } from 'typeorm';
import { ResultEntity } from '../entities/index.js';
import { found } from './not-found.js';
import { definedOnly, findPage, type Page, type PageRequest } from './page.js';

export interface ResultFilter {
  competitionId?: string;
  hotkey?: string;
  validator?: string;
  jobId?: string;
  submissionId?: string;
}

export class ResultsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get rows() {
    return this.dataSource.getRepository(ResultEntity);
  }

  /** Latest completed first, ties by evaluation id. */
  list(filter: ResultFilter, page: PageRequest): Promise<Page<ResultEntity>> {
    return findPage(this.rows, definedOnly(filter), { completedAt: 'DESC', evaluationId: 'ASC' }, page);
  }

  async get(evaluationId: string): Promise<ResultEntity> {
    return found(await this.rows.findOneBy({ evaluationId }), 'result of evaluation', evaluationId);
  }
}
