import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CompetitionEntity } from '#read-models';
import { ILike, type DataSource, type FindOptionsWhere } from 'typeorm';
import { READ_MODELS } from '../infrastructure/tokens.js';
import { containsPattern } from '../http/like.js';
import { findPage, type Page } from '../http/pagination.js';
import type { CompetitionsQuery } from './competitions.query.js';

@Injectable()
export class CompetitionsService {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  private get competitions() {
    return this.readModels.getRepository(CompetitionEntity);
  }

  async list(query: CompetitionsQuery): Promise<Page<CompetitionEntity>> {
    const where: FindOptionsWhere<CompetitionEntity> = {
      ...(query.active === undefined ? {} : { active: query.active }),
      ...(query.name === undefined ? {} : { name: ILike(containsPattern(query.name)) }),
    };
    return findPage(this.competitions, where, { createdAt: 'ASC', id: 'ASC' }, query);
  }

  async get(id: string): Promise<CompetitionEntity> {
    const competition = await this.competitions.findOneBy({ id });
    if (!competition) throw new NotFoundException(`competition ${id} not found`);
    return competition;
  }
}
