import { Injectable } from '@nestjs/common';
import { CompetitionsRepository, type Page } from '#read-models';
import type { CompetitionDto } from './competition.dto.js';
import { toCompetitionDto } from './competition.mapper.js';
import type { CompetitionsQuery } from './competitions.query.js';

@Injectable()
export class CompetitionsService {
  constructor(private readonly competitions: CompetitionsRepository) {}

  async list(query: CompetitionsQuery): Promise<Page<CompetitionDto>> {
    const page = await this.competitions.list({ active: query.active, nameContains: query.name }, query);
    return { ...page, items: page.items.map(toCompetitionDto) };
  }

  async get(id: string): Promise<CompetitionDto> {
    return toCompetitionDto(await this.competitions.get(id));
  }
}
