import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { SubmissionEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { SubmissionsQuery } from './submissions.query.js';

@Injectable()
export class SubmissionsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  private get submissions() {
    return this.readModels.getRepository(SubmissionEntity);
  }

  list(query: SubmissionsQuery): Promise<Page<SubmissionEntity>> {
    const where = definedOnly({ competitionId: query.competition, hotkey: query.miner, status: query.status });
    return findPage(this.submissions, where, { receivedAt: 'DESC', id: 'ASC' }, query);
  }

  async get(id: string): Promise<SubmissionEntity> {
    const submission = await this.submissions.findOneBy({ id });
    if (!submission) throw new NotFoundException(`submission ${id} not found`);
    return submission;
  }
}
