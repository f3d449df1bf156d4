import { Inject, Injectable } from '@nestjs/common';
import { CommitmentEntity } from '#read-models';
import type { DataSource } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { CommitmentsQuery } from './commitments.query.js';

@Injectable()
export class CommitmentsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  list(query: CommitmentsQuery): Promise<Page<CommitmentEntity>> {
    const where = definedOnly({ competitionId: query.competition, hotkey: query.miner, valid: query.valid });
    return findPage(this.readModels.getRepository(CommitmentEntity), where, { streamSequence: 'DESC' }, query);
  }
}
