import { Injectable } from '@nestjs/common';
import { CommitmentsRepository, type Page } from '#read-models';
import type { CommitmentDto } from './commitment.dto.js';
import { toCommitmentDto } from './commitment.mapper.js';
import type { CommitmentsQuery } from './commitments.query.js';

@Injectable()
export class CommitmentsService {
  constructor(private readonly commitments: CommitmentsRepository) {}

  async list(query: CommitmentsQuery): Promise<Page<CommitmentDto>> {
    const page = await this.commitments.list({ competitionId: query.competition, hotkey: query.miner, valid: query.valid }, query);
    return { ...page, items: page.items.map(toCommitmentDto) };
  }
}
