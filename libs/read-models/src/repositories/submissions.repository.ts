import type { DataSource } from 'typeorm';
import { SubmissionEntity, type SubmissionStatus } from '../entities/index.js';
import { found } from './not-found.js';
import { definedOnly, findPage, type Page, type PageRequest, type SortDirection } from './page.js';

export interface SubmissionFilter {
  competitionId?: string;
  hotkey?: string;
  status?: SubmissionStatus;
}

export interface SubmissionSort {
  by: 'receivedAt' | 'block';
  direction: SortDirection;
}

export class SubmissionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get rows() {
    return this.dataSource.getRepository(SubmissionEntity);
  }

  /** Sorted as asked, ties broken by id. */
  list(filter: SubmissionFilter, sort: SubmissionSort, page: PageRequest): Promise<Page<SubmissionEntity>> {
    return findPage(this.rows, definedOnly(filter), { [sort.by]: sort.direction, id: 'ASC' }, page);
  }

  async get(id: string): Promise<SubmissionEntity> {
    return found(await this.find(id), 'submission', id);
  }

  /** The submission, or null when it is not projected (yet). */
  find(id: string): Promise<SubmissionEntity | null> {
    return this.rows.findOneBy({ id });
  }
}
