import type { DataSource } from 'typeorm';
import { CommitmentEntity } from '../entities/index.js';
import { definedOnly, findPage, type Page, type PageRequest } from './page.js';

export interface CommitmentFilter {
  competitionId?: string;
  hotkey?: string;
  /** Whether the bytes decode as a Kinitro commitment. */
  valid?: boolean;
}

/** Commitments observed on chain, one row per CommitmentObserved. */
export class CommitmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest observed first. */
  list(filter: CommitmentFilter, page: PageRequest): Promise<Page<CommitmentEntity>> {
    return findPage(this.dataSource.getRepository(CommitmentEntity), definedOnly(filter), { streamSequence: 'DESC' }, page);
  }
}
